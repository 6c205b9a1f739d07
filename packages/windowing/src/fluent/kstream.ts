import { TopologyError, type Processor, type ProcessorContext, type Record, type Serde, type Serializer, type SinkOptions } from '@kstreams/core';
import { globalTableJoin } from '../joins/global-table-join.js';
import { addStreamStreamJoin } from '../joins/stream-stream-join.js';
import { streamTableJoin } from '../joins/stream-table-join.js';
import { tableSource } from '../joins/table-source.js';
import type { JoinWindows } from '../windows.js';
import { KGroupedStream } from './kgrouped-stream.js';
import type { KTable } from './ktable.js';
import type { Consumed, GlobalKTable, StreamsBuilder } from './streams-builder.js';

/** How `to()` writes records: serializers (any serde is one) and an optional partitioner. */
export interface Produced<K, V> {
  readonly keySerde?: Serializer<K>;
  readonly valueSerde?: Serializer<V>;
  readonly partitioner?: SinkOptions<K, V>['partitioner'];
}

/** What a chain step knows about its records: whether the key changed since the source, and serdes. */
export interface StreamShape<K, V> {
  readonly keyChanged: boolean;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
}

/** A processor forwarding what `transform` returns for each record (nothing for `undefined`). */
function statelessSupplier<KIn, VIn, KOut, VOut>(transform: (record: Record<KIn, VIn>) => Record<KOut, VOut> | undefined): () => Processor<KIn, VIn, KOut, VOut> {
  return () => {
    let context: ProcessorContext<KOut, VOut>;
    return {
      init: (given) => void (context = given),
      process: (record) => {
        const result = transform(record);
        if (result !== undefined) context.forward(result);
      },
    };
  };
}

/**
 * A typed record stream of the fluent layer (Kafka Streams' `KStream`): each method adds one
 * processor to the builder's topology and returns the next step.
 */
export class KStream<K, V> {
  constructor(
    readonly builder: StreamsBuilder,
    /** The node whose output this stream is. */
    readonly nodeName: string,
    readonly shape: StreamShape<K, V>,
  ) {}

  filter(predicate: (key: K, value: V) => boolean): KStream<K, V> {
    return this.#step('KSTREAM-FILTER-', statelessSupplier((record: Record<K, V>) => (predicate(record.key, record.value) ? record : undefined)), this.shape);
  }

  filterNot(predicate: (key: K, value: V) => boolean): KStream<K, V> {
    return this.filter((key, value) => !predicate(key, value));
  }

  /** Changes keys and values; grouping or joining afterwards is refused (it would need a repartition topic). */
  map<K2, V2>(mapper: (key: K, value: V) => readonly [K2, V2]): KStream<K2, V2> {
    const supplier = statelessSupplier((record: Record<K, V>) => {
      const [key, value] = mapper(record.key, record.value);
      return record.withKey(key).withValue(value);
    });
    return this.#step('KSTREAM-MAP-', supplier, { keyChanged: true, keySerde: undefined, valueSerde: undefined });
  }

  mapValues<V2>(mapper: (value: V, key: K) => V2, valueSerde?: Serde<V2>): KStream<K, V2> {
    const supplier = statelessSupplier((record: Record<K, V>) => record.withValue(mapper(record.value, record.key)));
    return this.#step('KSTREAM-MAPVALUES-', supplier, { ...this.shape, valueSerde });
  }

  peek(action: (key: K, value: V) => void): KStream<K, V> {
    return this.#step('KSTREAM-PEEK-', statelessSupplier((record: Record<K, V>) => (action(record.key, record.value), record)), this.shape);
  }

  /** Groups by the current key for an aggregation (`count`, `reduce`, `aggregate`, `windowedBy`). */
  groupByKey(serdes: Partial<Consumed<K, V>> = {}): KGroupedStream<K, V> {
    this.#requireOriginalKey('groupByKey()');
    const keySerde = serdes.keySerde ?? this.shape.keySerde;
    if (keySerde === undefined) throw new TopologyError(`groupByKey() after "${this.nodeName}" needs a keySerde for its stores: pass groupByKey({ keySerde }).`);
    return new KGroupedStream<K, V>(this, keySerde);
  }

  /** Joins each record with `table`'s value for its key; `kind: 'left'` keeps records without a match. */
  join<VT, R>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT | null, key: K) => R, options: { readonly kind?: 'inner' | 'left' } = {}): KStream<K, R> {
    this.#requireOriginalKey('join()');
    const name = this.builder.nextName(options.kind === 'left' ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
    this.builder.addWired(name, streamTableJoin({ tableStoreName: table.storeName, kind: options.kind ?? 'inner', joiner }) as never, this.nodeName);
    return new KStream<K, R>(this.builder, name, { keyChanged: false, keySerde: this.shape.keySerde, valueSerde: undefined });
  }

  /** Joins each record with a global table row picked by `keySelector` (no co-partitioning needed). */
  joinGlobal<GK, GV, R>(table: GlobalKTable<GK, GV>, keySelector: (key: K, value: V) => GK | null, joiner: (value: V, row: GV | null, key: K) => R, options: { readonly kind?: 'inner' | 'left' } = {}): KStream<K, R> {
    const name = this.builder.nextName(options.kind === 'left' ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
    this.builder.addWired(name, globalTableJoin({ globalStoreName: table.storeName, keySelector, joiner, kind: options.kind ?? 'inner' }) as never, this.nodeName);
    return new KStream<K, R>(this.builder, name, { keyChanged: this.shape.keyChanged, keySerde: this.shape.keySerde, valueSerde: undefined });
  }

  /** Joins with another stream within `windows` (inner, left or outer; unmatched results after the window closes). */
  windowedJoin<VO, R>(
    other: KStream<K, VO>,
    joiner: (value: V | null, otherValue: VO | null, key: K) => R,
    windows: JoinWindows,
    options: { readonly kind?: 'inner' | 'left' | 'outer'; readonly name?: string; readonly serdes?: { keySerde: Serde<K>; valueSerde: Serde<V>; otherValueSerde: Serde<VO> } } = {},
  ): KStream<K, R> {
    this.#requireOriginalKey('windowedJoin()');
    other.#requireOriginalKey('windowedJoin()');
    const serdes = options.serdes ?? { keySerde: this.shape.keySerde, valueSerde: this.shape.valueSerde, otherValueSerde: other.shape.valueSerde };
    if (serdes.keySerde === undefined || serdes.valueSerde === undefined || serdes.otherValueSerde === undefined) {
      throw new TopologyError(`windowedJoin() of "${this.nodeName}" and "${other.nodeName}" needs key and value serdes for its window stores: pass options.serdes.`);
    }
    const name = options.name ?? this.builder.nextName('KSTREAM-JOIN-');
    addStreamStreamJoin(this.builder.topology, {
      name,
      left: this.nodeName,
      right: other.nodeName,
      windows,
      kind: options.kind ?? 'inner',
      joiner,
      backend: this.builder.backend,
      keySerde: serdes.keySerde,
      leftValueSerde: serdes.valueSerde,
      rightValueSerde: serdes.otherValueSerde,
    });
    return new KStream<K, R>(this.builder, name, { keyChanged: false, keySerde: serdes.keySerde, valueSerde: undefined });
  }

  /** Materializes the stream as a table (latest value per key; `null` deletes). */
  toTable(options: { readonly storeName: string } & Partial<Consumed<K, V>>): KTable<K, V> {
    const keySerde = options.keySerde ?? this.shape.keySerde;
    const valueSerde = options.valueSerde ?? this.shape.valueSerde;
    if (keySerde === undefined || valueSerde === undefined) throw new TopologyError(`toTable() of "${this.nodeName}" needs key and value serdes for store "${options.storeName}".`);
    const name = this.builder.nextName('KSTREAM-TOTABLE-');
    this.builder.addWired(name, tableSource({ storeName: options.storeName, backend: this.builder.backend, keySerde, valueSerde }) as never, this.nodeName);
    return this.builder.tableOf<K, V>(name, { storeName: options.storeName, emitsChanges: true, keySerde, valueSerde });
  }

  /** Writes the stream to `topic` with these serializers (serdes of `T | null` fit too). */
  to(topic: string, produced: Produced<K, V>): void {
    const options: SinkOptions<K, V> = {
      ...(produced.keySerde === undefined ? {} : { keySerializer: produced.keySerde }),
      ...(produced.valueSerde === undefined ? {} : { valueSerializer: produced.valueSerde }),
      ...(produced.partitioner === undefined ? {} : { partitioner: produced.partitioner }),
    };
    this.builder.topology.addSink(this.builder.nextName('KSTREAM-SINK-'), topic, options, this.nodeName);
  }

  #step<K2, V2>(prefix: string, supplier: () => Processor<K, V, K2, V2>, shape: StreamShape<K2, V2>): KStream<K2, V2> {
    const name = this.builder.nextName(prefix);
    this.builder.topology.addProcessor(name, supplier, this.nodeName);
    return new KStream<K2, V2>(this.builder, name, shape);
  }

  #requireOriginalKey(operation: string): void {
    if (this.shape.keyChanged) {
      throw new TopologyError(
        `${operation} after the key-changing step "${this.nodeName}" would need a repartition topic, which the fluent layer does not create: ` +
          'records with equal keys could sit in different partitions (not co-partitioned). Write the stream to a topic with to() and read it back with stream().',
      );
    }
  }
}
