import { Stores, Topology, type KeyValueStore, type Processor, type Serde, type SourceOptions, type StoreBackend, type TopologyDescription, type TopologyModel } from '@kstreams/core';
import { addWiredProcessor, type WiredProcessor } from '../wired-processor.js';
import { KStream } from './kstream.js';
import { KTable, type TableShape } from './ktable.js';
import { tableSource } from '../joins/table-source.js';

/** Options of a {@link StreamsBuilder}. */
export interface StreamsBuilderOptions {
  /** The store backend of every store the builder creates (e.g. `inMemoryBackend()`, `lmdbBackend()`). */
  readonly backend: StoreBackend;
}

/** A global table: the name of the global store holding it (typed by its key and value). */
export interface GlobalKTable<K, V> {
  readonly storeName: string;
  /** Phantom field carrying the key and value types. */
  readonly types?: [K, V];
}

/** Serdes of a topic read or written by the fluent layer. */
export interface Consumed<K, V> {
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

// biome-ignore lint/suspicious/noExplicitAny: the fluent layer builds on the untyped path and types each step itself.
type AnyTopology = Topology<any, any, any>;

/**
 * A thin typed fluent layer over the Processor API, in the spirit of Kafka Streams'
 * `StreamsBuilder`: `stream()`/`table()` start typed chains whose steps add ordinary processors
 * (named as Java names them, e.g. `KSTREAM-FILTER-0000000001`) and stores to one
 * {@link Topology}, visible in `describe()` and Mermaid. It is sugar over the windowing
 * package's processors, not a second engine: no repartition topics are created, so grouping or
 * joining after a key-changing step is refused at build time (write to a topic and read it back).
 *
 * @example
 * const builder = new StreamsBuilder({ backend: inMemoryBackend() });
 * builder.stream('clicks', { keySerde: Serdes.string(), valueSerde: Serdes.string() })
 *   .filter((_user, page) => page !== null)
 *   .groupByKey()
 *   .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
 *   .count({ storeName: 'clicks-per-minute', aggregateSerde: Serdes.int64() })
 *   .toStream()
 *   .to('clicks-per-minute', { keySerde: timeWindowedSerde(Serdes.string(), 60_000), valueSerde: Serdes.int64() });
 * const topology = builder.build();
 */
export class StreamsBuilder {
  readonly topology: AnyTopology = Topology.untyped();
  readonly backend: StoreBackend;
  #index = 0;

  constructor(options: StreamsBuilderOptions) {
    this.backend = options.backend;
  }

  /** A stream of the records of `topic` (or of every topic matching a pattern). */
  stream<K, V>(topic: string | RegExp, consumed: Consumed<K, V>): KStream<K, V> {
    const name = this.nextName('KSTREAM-SOURCE-');
    const subscription = typeof topic === 'string' ? { topics: [topic] } : { pattern: topic };
    this.topology.addSource(name, { ...subscription, ...consumed } as SourceOptions<K, V>);
    return new KStream<K, V>(this, name, { keyChanged: false, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde });
  }

  /** A table of the latest value per key of `topic`, materialized in a timestamped store. */
  table<K, V>(topic: string, consumed: Consumed<K, V> & { readonly storeName?: string }): KTable<K, V> {
    const sourceName = this.nextName('KSTREAM-SOURCE-');
    this.topology.addSource(sourceName, { topics: [topic], ...consumed } as SourceOptions<K, V>);
    const tableName = this.nextName('KTABLE-SOURCE-');
    const storeName = consumed.storeName ?? `${topic}-STATE-STORE-${tableName.slice(-10)}`;
    this.addWired(tableName, tableSource({ storeName, backend: this.backend, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde }), sourceName);
    return this.tableOf<K, V>(tableName, { storeName, emitsChanges: true, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde });
  }

  /** A table handle for node `nodeName` (used by the chain steps). */
  tableOf<K, V>(nodeName: string, shape: TableShape<K, V>): KTable<K, V> {
    return new KTable<K, V>(this, nodeName, shape);
  }

  /**
   * A global table of `topic`: every instance keeps all of it (all partitions) in a global
   * store, so streams join it by any key with `KStream.joinGlobal`, without co-partitioning.
   */
  globalTable<K, V>(topic: string, consumed: Consumed<K, V> & { readonly storeName: string }): GlobalKTable<K, V> {
    const store = Stores.keyValueStoreBuilder({ name: consumed.storeName, backend: this.backend, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde }).withLoggingDisabled();
    const storeName = consumed.storeName;
    const loader = (): Processor<K, V | null, never, never> => {
      let table: KeyValueStore<K, V>;
      return { init: (context) => void (table = context.getStateStore(storeName)), process: (record) => table.put(record.key, record.value) };
    };
    this.topology.addGlobalStore(store, this.nextName('KSTREAM-SOURCE-'), { topic, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde }, this.nextName('KTABLE-SOURCE-'), loader);
    return { storeName };
  }

  /** Validates the graph and returns the model the engine runs. */
  build(): TopologyModel {
    return this.topology.build();
  }

  describe(): TopologyDescription {
    return this.topology.describe();
  }

  /** A new node name: `prefix` + a 10-digit index, as Kafka Streams numbers DSL nodes. */
  nextName(prefix: string): string {
    return `${prefix}${String(this.#index++).padStart(10, '0')}`;
  }

  /** Adds a wired processor (and its stores) under `parents`. */
  addWired(name: string, wired: WiredProcessor<unknown, unknown, unknown, unknown>, ...parents: [string, ...string[]]): void {
    addWiredProcessor(this.topology, name, wired, ...parents);
  }
}
