import { Record, Serdes, Stores, Topology, type MeteredKeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from './topology-test-driver.js';

/** Counts words in a cached store and forwards only what the cache writes down (Kafka Streams' DSL style). */
class CachedWordCounter implements Processor<string | null, string | null, string, bigint> {
  #counts!: MeteredKeyValueStore<string, bigint>;

  init(context: ProcessorContext<string, bigint>): void {
    this.#counts = context.getStateStore<MeteredKeyValueStore<string, bigint>>('counts');
    const cached = this.#counts.setFlushListener((word, count, _old, timestamp) => {
      if (count !== undefined) context.forward(new Record(word, count, timestamp));
    });
    if (!cached) throw new Error('expected a caching store');
  }

  process(record: Record<string | null, string | null>): void {
    for (const word of (record.value ?? '').split(' ').filter(Boolean)) this.#counts.put(word, (this.#counts.get(word) ?? 0n) + 1n);
  }
}

function cachedTopology() {
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new CachedWordCounter(), 'lines')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() }).withCachingEnabled(),
      'count',
    )
    .addSink('out', 'counts', { keySerde: Serdes.string(), valueSerde: Serdes.int64() }, 'count');
}

describe('TopologyTestDriver with a caching store', () => {
  // Kafka Streams flushes a cache in the order of each key's last write (NamedCache.dirtyKeys).
  it('forwards one de-duplicated update per key at the commit after each record, in last-write order', () => {
    const driver = new TopologyTestDriver(cachedTopology());
    const input = driver.createInputTopic('text', Serdes.string(), Serdes.string());
    const output = driver.createOutputTopic('counts', Serdes.string(), Serdes.int64());
    input.pipeInput(null, 'b a a b a');
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'b', value: 2n },
      { key: 'a', value: 3n },
    ]);
    input.pipeInput(null, 'a');
    expect(output.readKeyValuesToList()).toEqual([{ key: 'a', value: 4n }]);
    expect(driver.getKeyValueStore<string, bigint>('counts').get('a')).toBe(4n);
  });
});
