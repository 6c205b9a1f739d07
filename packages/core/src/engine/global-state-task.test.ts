import { describe, expect, it } from 'vitest';
import { InvalidStateStoreError, StreamsError } from '../errors/streams-error.js';
import { Headers } from '../processor/headers.js';
import type { Processor } from '../processor/processor.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import { PunctuationType } from '../processor/punctuation.js';
import type { Record } from '../processor/record.js';
import { Serdes } from '../serde/serdes.js';
import type { KeyValueStore } from '../state/state-store.js';
import { Stores } from '../state/stores.js';
import { SortedArrayBackend } from '../state/testing/sorted-array-backend.js';
import { Topology } from '../topology/topology.js';
import { deserializationHandlers } from './deserialization-exception-handler.js';
import { GlobalStateTask } from './global-state-task.js';
import { StreamTask } from './stream-task.js';
import { CapturingCollector } from './testing/model-fixture.js';

const encoder = new TextEncoder();

class StoreWriter implements Processor<string | null, string | null, never, never> {
  #store!: KeyValueStore<string, string>;
  init(context: ProcessorContext<never, never>): void {
    this.#store = context.getStateStore('countries');
  }
  process(record: Record<string | null, string | null>): void {
    if (record.key !== null) this.#store.put(record.key, record.value);
  }
}

class Enricher implements Processor<string | null, string | null, string | null, string> {
  #context!: ProcessorContext<string | null, string>;
  #countries!: KeyValueStore<string, string>;
  init(context: ProcessorContext<string | null, string>): void {
    this.#context = context;
    this.#countries = context.getStateStore('countries');
  }
  process(record: Record<string | null, string | null>): void {
    if (record.value === 'write') this.#countries.put('xx', 'nope');
    this.#context.forward(record.withValue(`${record.value}@${this.#countries.get(record.value ?? '') ?? 'unknown'}`));
  }
}

function globalTopology(writer: () => Processor<string | null, string | null, never, never> = () => new StoreWriter()) {
  const store = Stores.keyValueStoreBuilder({ name: 'countries', backend: new SortedArrayBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
  return new Topology()
    .addSource('orders', { topics: ['orders'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('enrich', () => new Enricher(), 'orders')
    .addSink('out', 'enriched', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'enrich')
    .addGlobalStore(store, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-writer', writer)
    .build();
}

function raw(topic: string, offset: number, key: string, value: string | null, partition = 0) {
  return { topic, partition, offset, key: encoder.encode(key), value: value === null ? null : encoder.encode(value), timestamp: 10 + offset, headers: new Headers() };
}

async function start(model = globalTopology()) {
  const config = { applicationId: 'app' };
  const globalTask = new GlobalStateTask({ model, config });
  await globalTask.initialize();
  const collector = new CapturingCollector();
  const task = new StreamTask({ taskId: { subtopology: 0, partition: 0 }, model, config, collector, globalStores: globalTask });
  await task.initialize();
  return { globalTask, task, collector };
}

describe('GlobalStateTask', () => {
  it('is needed only when the topology has a global store', () => {
    expect(GlobalStateTask.needed(globalTopology())).toBe(true);
    const plain = new Topology().addSource('in', { topics: ['in'] }).addSink('out', 'out', 'in').build();
    expect(GlobalStateTask.needed(plain)).toBe(false);
  });

  it('applies records of every partition of the global topic through the store processor', async () => {
    const { globalTask } = await start();
    expect(globalTask.topics).toEqual(['countries']);
    await globalTask.update(raw('countries', 0, 'de', 'Germany', 0));
    await globalTask.update(raw('countries', 0, 'fr', 'France', 1));
    await globalTask.update(raw('countries', 1, 'de', 'Deutschland', 0));
    const store = globalTask.getStore('countries') as KeyValueStore<string, string>;
    expect(store.get('de')).toBe('Deutschland');
    expect(store.get('fr')).toBe('France');
    expect(await globalTask.flush()).toEqual([
      { topic: 'countries', partition: 0, offset: 2 },
      { topic: 'countries', partition: 1, offset: 1 },
    ]);
  });

  it('lets every stream processor read the global store without connecting it', async () => {
    const { globalTask, task, collector } = await start();
    await globalTask.update(raw('countries', 0, 'de', 'Germany'));
    task.addRecords('orders', 0, [raw('orders', 0, 'o1', 'de'), raw('orders', 1, 'o2', 'it')]);
    await task.process();
    expect(collector.sent.map((record) => new TextDecoder().decode(record.value ?? new Uint8Array()))).toEqual(['de@Germany', 'it@unknown']);
  });

  it('rejects writes from stream processors with an error naming the store and its topic', async () => {
    const { task } = await start();
    task.addRecords('orders', 0, [raw('orders', 0, 'o1', 'write')]);
    const failure = await Promise.resolve().then(() => task.process()).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(StreamsError);
    expect((failure as Error).message).toContain('Processor "enrich"');
    const cause = (failure as Error).cause;
    expect(cause).toBeInstanceOf(InvalidStateStoreError);
    expect((cause as Error).message).toMatch(/Global store "countries" is read-only for stream processors: put\(\).*topic "countries"/);
  });

  it('refuses punctuators in global store processors, as Kafka Streams', async () => {
    const model = globalTopology(() => ({
      init: (context) => {
        context.schedule(10, PunctuationType.WALL_CLOCK_TIME, () => undefined);
      },
      process: () => undefined,
    }));
    const globalTask = new GlobalStateTask({ model, config: { applicationId: 'app' } });
    expect(() => globalTask.initialize()).toThrow(/"countries-writer" feeds a global store and cannot schedule punctuators/);
  });

  it('drops undeserializable records when the handler says continue, and refuses updates once closed', async () => {
    const store = Stores.keyValueStoreBuilder({ name: 'countries', backend: new SortedArrayBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const strict = {
      deserialize: (_topic: string, data: Uint8Array | null): string | null => {
        if (data?.[0] === 0xff) throw new Error('bad byte');
        return data === null ? null : new TextDecoder().decode(data);
      },
    };
    const model = new Topology()
      .addSource('orders', { topics: ['orders'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('out', 'enriched', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'orders')
      .addGlobalStore(store, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueDeserializer: strict }, 'countries-writer', () => new StoreWriter())
      .build();
    const globalTask = new GlobalStateTask({ model, config: { applicationId: 'app', deserializationExceptionHandler: deserializationHandlers.logAndContinue } });
    await globalTask.initialize();
    await globalTask.update({ ...raw('countries', 0, 'de', 'x'), value: new Uint8Array([0xff]) });
    await globalTask.update(raw('countries', 1, 'fr', 'France'));
    expect(globalTask.metrics.droppedCount).toBe(1);
    expect((globalTask.getStore('countries') as KeyValueStore<string, string>).get('fr')).toBe('France');
    expect(await globalTask.flush()).toEqual([{ topic: 'countries', partition: 0, offset: 2 }]);
    await globalTask.close();
    await globalTask.close();
    expect(() => globalTask.update(raw('countries', 2, 'de', 'y'))).toThrow(/global state task cannot update global stores: it is CLOSED/);
  });
});
