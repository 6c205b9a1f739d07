import { Record, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';

/** Splits lines into words and forwards each word with its running count. */
class WordCounter implements Processor<string | null, string | null, string, number> {
  #context!: ProcessorContext<string, number>;
  #counts!: KeyValueStore<string, number | null>;

  init(context: ProcessorContext<string, number>): void {
    this.#context = context;
    this.#counts = context.getStateStore<KeyValueStore<string, number | null>>('counts');
  }

  process(record: Record<string | null, string | null>): void {
    for (const word of (record.value ?? '').toLowerCase().split(/\W+/).filter(Boolean)) {
      if (word === 'poison') throw new Error('poison word');
      const count = (this.#counts.get(word) ?? 0) + 1;
      this.#counts.put(word, count);
      this.#context.forward(new Record(word, count, record.timestamp));
    }
  }
}

/** A word count: `input` lines to `output` (word, count as int64). */
export function wordCountTopology(input: string, output: string) {
  return Topology.untyped()
    .addSource('lines', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new WordCounter(), 'lines')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }), 'count')
    .addSink('counts-out', output, { keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }, 'count');
}

/** A pass-through: `input` to `output`, bytes unchanged, one record out per record in. */
export function copyTopology(input: string, output: string) {
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.bytes(), valueSerde: Serdes.bytes() })
    .addSink('out', output, { keySerde: Serdes.bytes(), valueSerde: Serdes.bytes() }, 'in');
}
