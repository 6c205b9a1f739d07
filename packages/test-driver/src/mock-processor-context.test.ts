import { PunctuationType, Record, Serdes, Stores, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { MockProcessorContext } from './mock-processor-context.js';

class DedupProcessor implements Processor<string, string, string, string> {
  #context!: ProcessorContext<string, string>;
  #seen!: KeyValueStore<string, string>;

  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
    this.#seen = context.getStateStore<KeyValueStore<string, string>>('seen');
    context.schedule(60_000, PunctuationType.WALL_CLOCK_TIME, () => this.#context.commit());
  }

  process(record: Record<string, string>): void {
    if (this.#seen.get(record.key) === record.value) return;
    this.#seen.put(record.key, record.value);
    this.#context.forward(record, record.value === 'alert' ? 'alerts' : undefined);
  }
}

describe('MockProcessorContext', () => {
  it('captures forwards (with child names), punctuators and commit requests of one processor', async () => {
    const context = new MockProcessorContext<string, string>({ recordMetadata: { topic: 'in', partition: 2, offset: 9 } });
    const store = Stores.keyValueStoreBuilder({ name: 'seen', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled().build();
    await store.init(context.getStateStoreContext());
    context.addStateStore(store);
    const processor = new DedupProcessor();
    processor.init(context);
    processor.process(new Record('a', 'x', 1));
    processor.process(new Record('a', 'x', 2));
    processor.process(new Record('b', 'alert', 3));
    expect(context.forwarded().map((forward) => [forward.record.key, forward.childName])).toEqual([['a', undefined], ['b', 'alerts']]);
    expect(context.forwarded('alerts')).toHaveLength(1);
    const [punctuator] = context.scheduledPunctuators();
    expect(punctuator).toMatchObject({ intervalMs: 60_000, type: PunctuationType.WALL_CLOCK_TIME, cancelled: false });
    expect(context.committed()).toBe(false);
    await punctuator?.punctuator(60_000);
    expect(context.committed()).toBe(true);
    expect(context.recordMetadata()?.offset).toBe(9);
  });

  it('names the missing store and how to add it', () => {
    const context = new MockProcessorContext();
    expect(() => context.getStateStore('seen')).toThrow('MockProcessorContext has no state store "seen". Add it with context.addStateStore(store) first.');
  });
});
