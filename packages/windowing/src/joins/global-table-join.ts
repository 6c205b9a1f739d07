import type { Processor, ProcessorContext, Record } from '@kstreams/core';
import type { WiredProcessor } from '../wired-processor.js';
import { tableLookup, type TableKind, type ValueJoiner } from './stream-table-join.js';

/** Options of {@link globalTableJoin}. */
export interface GlobalTableJoinOptions<K, V, GK, GV, R> {
  /** The global store (added with `Topology.addGlobalStore`); every processor may read it. */
  readonly globalStoreName: string;
  /** The global table's key for a stream record (a foreign key; need not be the record key). */
  readonly keySelector: (key: K, value: V) => GK | null;
  readonly kind?: 'inner' | 'left';
  /** `key-value` (default: what a plain global store holds), `timestamped` or `versioned`. */
  readonly tableKind?: TableKind;
  readonly joiner: ValueJoiner<K, V, GV | null, R>;
}

/**
 * Joins each stream record with a global table (Kafka Streams' `KStream#join(GlobalKTable)`):
 * the lookup key comes from `keySelector`, so no co-partitioning is needed; every instance holds
 * the whole table. Inner joins drop records without a match (or whose selected key is null);
 * left joins forward `joiner(value, null)`. Records with a null value are dropped (`null-value`).
 *
 * @example
 * addWiredProcessor(topology, 'with-product', globalTableJoin({ globalStoreName: 'products', keySelector: (_id, order: Order) => order.productId,
 *   joiner: (order, product) => ({ ...order, product }) }), 'orders');
 */
export function globalTableJoin<K, V, GK, GV, R>(options: GlobalTableJoinOptions<K, V, GK, GV, R>): WiredProcessor<K, V, K, R> {
  return { supplier: () => new GlobalTableJoinProcessor(options), storeBuilders: [] };
}

class GlobalTableJoinProcessor<K, V, GK, GV, R> implements Processor<K, V, K, R> {
  #context!: ProcessorContext<K, R>;
  #lookup!: (key: GK, timestampMs: number) => GV | null;

  constructor(private readonly options: GlobalTableJoinOptions<K, V, GK, GV, R>) {}

  init(context: ProcessorContext<K, R>): void {
    this.#context = context;
    this.#lookup = tableLookup<GK, GV>(context.getStateStore(this.options.globalStoreName), this.options.tableKind ?? 'key-value');
  }

  process(record: Record<K, V>): void {
    if (record.value === null || record.value === undefined) return this.#context.recordDropped('null-value');
    const globalKey = this.options.keySelector(record.key, record.value);
    const match = globalKey === null || globalKey === undefined ? null : this.#lookup(globalKey, record.timestamp);
    if (match === null && this.options.kind !== 'left') return;
    this.#context.forward(record.withValue(this.options.joiner(record.value, match, record.key)));
  }
}
