// The example of packages/core/README.md, kept here so it keeps compiling and working.
import { Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from './topology-test-driver.js';

class WordCounter implements Processor<string | null, string | null, string, bigint> {
  #context!: ProcessorContext<string, bigint>;
  #counts!: KeyValueStore<string, bigint>;

  init(context: ProcessorContext<string, bigint>): void {
    this.#context = context;
    this.#counts = context.getStateStore('counts');
  }

  process(record: Record<string | null, string | null>): void {
    for (const word of (record.value ?? '').toLowerCase().split(/\W+/).filter(Boolean)) {
      const count = (this.#counts.get(word) ?? 0n) + 1n;
      this.#counts.put(word, count);
      this.#context.forward(record.withKey(word).withValue(count));
    }
  }
}

describe('The core README example', () => {
  it('counts words with a typed topology, a store and the test driver', () => {
    const topology = new Topology()
      .addSource('lines', { topics: ['text'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('count', () => new WordCounter(), 'lines')
      .addStateStore(
        Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() }),
        'count',
      )
      .addSink('out', 'word-counts', { keySerde: Serdes.string(), valueSerde: Serdes.int64() }, 'count');

    const driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic('text', Serdes.string(), Serdes.string());
    const output = driver.createOutputTopic('word-counts', Serdes.string(), Serdes.int64());
    input.pipeInput(null, 'hello world hello');
    expect(output.readKeyValuesToMap()).toEqual(new Map([['hello', 2n], ['world', 1n]]));
    expect(driver.getKeyValueStore<string, bigint>('counts').get('hello')).toBe(2n);
    driver.close();
  });
});
