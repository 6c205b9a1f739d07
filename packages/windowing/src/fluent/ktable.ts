import { TopologyError, type Processor, type ProcessorContext, type Serde } from '@kstreams/core';
import type { Change } from '../joins/table-source.js';
import { addTableTableJoin } from '../joins/table-table-join.js';
import { KStream } from './kstream.js';
import type { StreamsBuilder } from './streams-builder.js';

/** Where a table's values live and what its node forwards. */
export interface TableShape<K, V> {
  readonly storeName: string;
  /** True when the node forwards `Change` records (a table source), false for plain aggregates. */
  readonly emitsChanges: boolean;
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
}

/** Forwards a change's new value (a table turned into a stream of updates; deletes as `null`). */
function newValues(): Processor<unknown, Change<unknown>, unknown, unknown> {
  let context: ProcessorContext<unknown, unknown>;
  return { init: (given) => void (context = given), process: (record) => context.forward(record.withValue(record.value.newValue)) };
}

/**
 * A typed table of the fluent layer (Kafka Streams' `KTable`): the latest value per key, held in
 * the store `storeName`. `toStream()` turns its updates into a stream.
 */
export class KTable<K, V> {
  constructor(
    readonly builder: StreamsBuilder,
    readonly nodeName: string,
    readonly shape: TableShape<K, V>,
  ) {}

  get storeName(): string {
    return this.shape.storeName;
  }

  /** The stream of this table's updates (a deleted key as a `null` value). */
  toStream(): KStream<K, V> {
    if (!this.shape.emitsChanges) return new KStream<K, V>(this.builder, this.nodeName, { keyChanged: false, keySerde: this.shape.keySerde, valueSerde: this.shape.valueSerde });
    const name = this.builder.nextName('KTABLE-TOSTREAM-');
    this.builder.topology.addProcessor(name, newValues, this.nodeName);
    return new KStream<K, V>(this.builder, name, { keyChanged: false, keySerde: this.shape.keySerde, valueSerde: this.shape.valueSerde });
  }

  /** Joins with another table on the key: `inner`, `left` or `outer`; a key leaving the join yields `null`. */
  join<VO, R>(other: KTable<K, VO>, joiner: (value: V | null, otherValue: VO | null, key: K) => R, options: { readonly kind?: 'inner' | 'left' | 'outer' } = {}): KStream<K, R | null> {
    for (const table of [this, other] as const) {
      if (!table.shape.emitsChanges) {
        throw new TopologyError(`Table "${table.nodeName}" is an aggregation result; table-table joins in the fluent layer need tables made by builder.table() or toTable().`);
      }
    }
    const name = this.builder.nextName('KTABLE-JOIN-');
    addTableTableJoin(this.builder.topology, {
      name,
      left: this.nodeName,
      leftStoreName: this.storeName,
      right: other.nodeName,
      rightStoreName: other.storeName,
      kind: options.kind ?? 'inner',
      joiner,
    });
    return new KStream<K, R | null>(this.builder, name, { keyChanged: false, keySerde: this.shape.keySerde, valueSerde: undefined });
  }
}
