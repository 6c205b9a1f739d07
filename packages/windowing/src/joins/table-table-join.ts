import {
  Topology,
  type NodeTypes,
  type Processor,
  type ProcessorContext,
  type Record,
  type TimestampedKeyValueStore,
  type WithNode,
} from '@kstreams/core';
import type { Change } from './table-source.js';

/** Options of {@link addTableTableJoin}. */
export interface TableTableJoinOptions<K, VL, VR, R> {
  /** Name of the join's output node (its side processors are `<name>-left` and `<name>-right`). */
  readonly name: string;
  /** The left and right table nodes (e.g. `tableSource` processors) and their timestamped stores. */
  readonly left: string;
  readonly leftStoreName: string;
  readonly right: string;
  readonly rightStoreName: string;
  readonly kind: 'inner' | 'left' | 'outer';
  /** `left` is null only in outer joins, `right` in left and outer joins. */
  readonly joiner: (left: VL | null, right: VR | null, key: K) => R;
}

/**
 * Joins two tables on their keys (Kafka Streams' `KTableKTableJoin`/`LeftJoin`/`OuterJoin`): an
 * update on either side looks up the other side's store and forwards the new join result for the
 * key, timestamped with the later of the two values; when the key leaves the join (a tombstone
 * on a side that the join needs) a `null` result is forwarded; an update that neither had nor
 * has a result forwards nothing. Both tables must be co-partitioned (same key, same partition
 * count): their stores are connected to both side processors, so they share a sub-topology and
 * the runtime checks the partition counts before it starts.
 *
 * @example
 * const joined = addTableTableJoin(topology, { name: 'customer-with-address', left: 'customers', leftStoreName: 'customers',
 *   right: 'addresses', rightStoreName: 'addresses', kind: 'left', joiner: (customer, address) => ({ customer, address }) });
 */
export function addTableTableJoin<Nodes extends NodeTypes, Taken extends string, Stores extends string, const Name extends string, const Left extends keyof Nodes & string, K, VL, VR, R>(
  topology: Topology<Nodes, Taken, Stores>,
  options: TableTableJoinOptions<K, VL, VR, R> & { readonly name: Name; readonly left: Left; readonly right: keyof Nodes & string },
): Topology<WithNode<Nodes, Name, [Nodes[Left][0], R | null]>, Taken | Name, Stores> {
  // biome-ignore lint/suspicious/noExplicitAny: wiring on the untyped path; the result is typed above.
  const untyped = topology as unknown as Topology<any, any, any>;
  const stores: [string, ...string[]] = [options.leftStoreName, options.rightStoreName];
  untyped.addProcessor(`${options.name}-left`, () => new TableTableJoinSide(options, 'left'), options.left);
  untyped.addProcessor(`${options.name}-right`, () => new TableTableJoinSide(options, 'right'), options.right);
  untyped.connectProcessorAndStateStores(`${options.name}-left`, ...stores);
  untyped.connectProcessorAndStateStores(`${options.name}-right`, ...stores);
  untyped.addProcessor(options.name, passThrough, `${options.name}-left`, `${options.name}-right`);
  return topology as never;
}

/** Forwards what both join sides produce (Java's merge node of a join). */
export function passThrough(): Processor<unknown, unknown, unknown, unknown> {
  let context: ProcessorContext<unknown, unknown>;
  return { init: (given) => void (context = given), process: (record) => context.forward(record) };
}

class TableTableJoinSide<K, VL, VR, R> implements Processor<K, Change<unknown>, K, R | null> {
  #context!: ProcessorContext<K, R | null>;
  #other!: TimestampedKeyValueStore<K, unknown>;

  constructor(
    private readonly options: TableTableJoinOptions<K, VL, VR, R>,
    private readonly side: 'left' | 'right',
  ) {}

  init(context: ProcessorContext<K, R | null>): void {
    this.#context = context;
    this.#other = context.getStateStore(this.side === 'left' ? this.options.rightStoreName : this.options.leftStoreName);
  }

  process(record: Record<K, Change<unknown>>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    const other = this.#other.get(record.key);
    const otherValue = other?.value ?? null;
    const newResult = this.#result(record.value.newValue, otherValue, record.key);
    const oldResult = this.#result(record.value.oldValue, otherValue, record.key);
    if (newResult === null && oldResult === null) return;
    const timestamp = Math.max(record.timestamp, other?.timestamp ?? 0);
    this.#context.forward(record.withValue(newResult).withTimestamp(timestamp));
  }

  /** The join result for this side's value and the other side's, or null when there is none. */
  #result(value: unknown, otherValue: unknown, key: K): R | null {
    const [left, right] = (this.side === 'left' ? [value, otherValue] : [otherValue, value]) as [VL | null, VR | null];
    const kind = this.options.kind;
    const joins = kind === 'inner' ? left !== null && right !== null : kind === 'left' ? left !== null : left !== null || right !== null;
    return joins ? this.options.joiner(left, right, key) : null;
  }
}
