import type { KeyValueStore, Processor, ProcessorContext, Record, StateStore, TimestampedKeyValueStore, VersionedKeyValueStore } from '@kstreams/core';
import type { WiredProcessor } from '../wired-processor.js';

/** Combines a left and a right value (right is `null` in a left join without a match). */
export type ValueJoiner<K, VL, VR, R> = (left: VL, right: VR, key: K) => R;

/** What kind of store holds a table. */
export type TableKind = 'timestamped' | 'versioned' | 'key-value';

/** Options of {@link streamTableJoin}. */
export interface StreamTableJoinOptions<K, V, VT, R> {
  /** The table's store (added by `tableSource`); the join connects to it. */
  readonly tableStoreName: string;
  /** `inner` (default) forwards only matches; `left` forwards every stream record. */
  readonly kind?: 'inner' | 'left';
  /**
   * The table store's kind: `timestamped` (default, as `tableSource` builds), `versioned` (look
   * up the value valid at the stream record's timestamp) or a plain `key-value` store.
   */
  readonly tableKind?: TableKind;
  readonly joiner: ValueJoiner<K, V, VT | null, R>;
}

/**
 * Joins each stream record with the table's value for its key (Kafka Streams'
 * `KStreamKTableJoin`): the table is only looked up, never triggers output. Inner joins forward
 * matches; left joins also forward `joiner(value, null)`. Records with a null value are dropped
 * (`null-value`), and so are null keys in an inner join; a left join joins a null key with
 * `null` (KIP-962). With a versioned table (`tableKind: 'versioned'`) the lookup is as of the record's timestamp (KIP-914),
 * so an out-of-order record joins the table as it was then. Output keeps the stream record's
 * timestamp.
 *
 * @example
 * addWiredProcessor(topology, 'enrich', streamTableJoin({ tableStoreName: 'customers', kind: 'left', joiner: (order, customer) => ({ order, customer }) }), 'orders');
 */
export function streamTableJoin<K, V, VT, R>(options: StreamTableJoinOptions<K, V, VT, R>): WiredProcessor<K, V, K, R> {
  return { supplier: () => new StreamTableJoinProcessor(options), storeBuilders: [], connectedStores: [options.tableStoreName] };
}

class StreamTableJoinProcessor<K, V, VT, R> implements Processor<K, V, K, R> {
  #context!: ProcessorContext<K, R>;
  #lookup!: (key: K, timestampMs: number) => VT | null;

  constructor(private readonly options: StreamTableJoinOptions<K, V, VT, R>) {}

  init(context: ProcessorContext<K, R>): void {
    this.#context = context;
    this.#lookup = tableLookup<K, VT>(context.getStateStore(this.options.tableStoreName), this.options.tableKind ?? 'timestamped');
  }

  process(record: Record<K, V>): void {
    const left = this.options.kind === 'left';
    if (record.value === null || record.value === undefined) return this.#context.recordDropped('null-value');
    if (record.key === null || record.key === undefined) {
      if (!left) return this.#context.recordDropped('null-key');
      return this.#context.forward(record.withValue(this.options.joiner(record.value, null, record.key)));
    }
    const tableValue = this.#lookup(record.key, record.timestamp);
    if (tableValue === null && !left) return;
    this.#context.forward(record.withValue(this.options.joiner(record.value, tableValue, record.key)));
  }
}

/** How to read a table's value for a key (as of a timestamp for versioned tables). */
export function tableLookup<K, VT>(store: StateStore, kind: TableKind): (key: K, timestampMs: number) => VT | null {
  switch (kind) {
    case 'versioned': {
      const versioned = store as VersionedKeyValueStore<K, VT>;
      return (key, timestampMs) => versioned.get(key, timestampMs)?.value ?? null;
    }
    case 'timestamped': {
      const timestamped = store as TimestampedKeyValueStore<K, VT>;
      return (key) => timestamped.get(key)?.value ?? null;
    }
    case 'key-value': {
      const plain = store as KeyValueStore<K, VT>;
      return (key) => plain.get(key) ?? null;
    }
  }
}
