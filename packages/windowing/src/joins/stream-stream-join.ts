import {
  Stores,
  Topology,
  type KeyValueStore,
  type NodeTypes,
  type Processor,
  type ProcessorContext,
  type Record,
  type Serde,
  type StoreBackend,
  type WindowStore,
  type WithNode,
} from '@kstreams/core';
import { leftOrRightValueSerde, timestampedKeyAndSideSerde, type LeftOrRightValue, type TimestampedKeyAndSide } from '../internal/outer-join-serdes.js';
import type { JoinWindows } from '../windows.js';
import { passThrough } from './table-table-join.js';

/** Options of {@link addStreamStreamJoin}. */
export interface StreamStreamJoinOptions<K, VL, VR, R> {
  /** Output node name; side processors are `<name>-this` and `<name>-other`, stores `<name>-this-store`, `<name>-other-store`, `<name>-outer-store`. */
  readonly name: string;
  readonly left: string;
  readonly right: string;
  readonly windows: JoinWindows;
  readonly kind: 'inner' | 'left' | 'outer';
  /** `left` is null only for outer results of right records, `right` for left/outer results. */
  readonly joiner: (left: VL | null, right: VR | null, key: K) => R;
  readonly backend: StoreBackend;
  readonly keySerde: Serde<K>;
  readonly leftValueSerde: Serde<VL>;
  readonly rightValueSerde: Serde<VR>;
  /** Changelog the join stores (default true). */
  readonly logging?: boolean;
}

/** Stream time shared by both sides of one join in one task (Java's `TimeTracker`). */
class SharedStreamTime {
  streamTimeMs = -1;
  users = 0;
}

/**
 * Joins two streams within a time window (Kafka Streams' `KStreamKStreamJoin`, 3.x semantics): a
 * left record at `t` joins every right record of its key in `[t - before, t + after]` (and the
 * other way round), each side kept in a window store sized before + after and retained for
 * before + after + grace. Results carry the later of the two timestamps. Left and outer joins
 * do not emit a record without a match at once: it waits in an outer-join store until stream
 * time passes its window end plus grace, and is emitted as `joiner(value, null)` only if no match
 * arrived by then; an out-of-order record whose window already ended is emitted at once, as Java
 * does. Records without a value are dropped and counted; so are records without a key, except
 * that left/outer joins forward them unjoined at once (KIP-962). Both inputs must be
 * co-partitioned: their stores tie them into one sub-topology, whose source topics the runtime
 * checks for equal partition counts before it starts.
 *
 * @example
 * const topology = addStreamStreamJoin(base, { name: 'paid-orders', left: 'orders', right: 'payments', kind: 'left',
 *   windows: JoinWindows.ofTimeDifferenceAndGrace(10_000, 1_000), joiner: (order, payment) => ({ order, payment }),
 *   backend: inMemoryBackend(), keySerde: Serdes.string(), leftValueSerde: orderSerde, rightValueSerde: paymentSerde });
 */
export function addStreamStreamJoin<Nodes extends NodeTypes, Taken extends string, Stores extends string, const Name extends string, const Left extends keyof Nodes & string, K, VL, VR, R>(
  topology: Topology<Nodes, Taken, Stores>,
  options: StreamStreamJoinOptions<K, VL, VR, R> & { readonly name: Name; readonly left: Left; readonly right: keyof Nodes & string },
): Topology<WithNode<Nodes, Name, [Nodes[Left][0], R]>, Taken | Name, Stores> {
  // biome-ignore lint/suspicious/noExplicitAny: wiring on the untyped path; the result is typed above.
  const untyped = topology as unknown as Topology<any, any, any>;
  const names = joinStoreNames(options.name);
  const windowStore = (name: string, valueSerde: Serde<unknown>) => {
    const builder = Stores.windowStoreBuilder({
      name,
      backend: options.backend,
      retentionMs: Math.max(options.windows.retentionMs, 1),
      windowSizeMs: Math.max(options.windows.sizeMs, 1),
      retainDuplicates: true,
      keySerde: options.keySerde,
      valueSerde,
    });
    return options.logging === false ? builder.withLoggingDisabled() : builder;
  };
  const trackers = new Map<string, SharedStreamTime>();
  const outer = options.kind !== 'inner';
  untyped.addProcessor(`${options.name}-this`, () => new StreamStreamJoinSide(options, 'left', trackers), options.left);
  untyped.addProcessor(`${options.name}-other`, () => new StreamStreamJoinSide(options, 'right', trackers), options.right);
  untyped.addStateStore(windowStore(names.thisStore, options.leftValueSerde as Serde<unknown>), `${options.name}-this`, `${options.name}-other`);
  untyped.addStateStore(windowStore(names.otherStore, options.rightValueSerde as Serde<unknown>), `${options.name}-this`, `${options.name}-other`);
  if (outer) {
    const builder = Stores.keyValueStoreBuilder({
      name: names.outerStore,
      backend: options.backend,
      keySerde: timestampedKeyAndSideSerde(options.keySerde),
      valueSerde: leftOrRightValueSerde(options.leftValueSerde, options.rightValueSerde),
    });
    untyped.addStateStore(options.logging === false ? builder.withLoggingDisabled() : builder, `${options.name}-this`, `${options.name}-other`);
  }
  untyped.addProcessor(options.name, passThrough, `${options.name}-this`, `${options.name}-other`);
  return topology as never;
}

/** The store names of join `name`. */
export function joinStoreNames(name: string): { thisStore: string; otherStore: string; outerStore: string } {
  return { thisStore: `${name}-this-store`, otherStore: `${name}-other-store`, outerStore: `${name}-outer-store` };
}

class StreamStreamJoinSide<K, VL, VR, R> implements Processor<K, unknown, K, R> {
  #context!: ProcessorContext<K, R>;
  #thisStore!: WindowStore<K, unknown>;
  #otherStore!: WindowStore<K, unknown>;
  #outerStore: KeyValueStore<TimestampedKeyAndSide<K>, LeftOrRightValue<VL, VR>> | undefined;
  #time!: SharedStreamTime;
  #taskId = '';

  constructor(
    private readonly options: StreamStreamJoinOptions<K, VL, VR, R>,
    private readonly side: 'left' | 'right',
    private readonly trackers: Map<string, SharedStreamTime>,
  ) {}

  init(context: ProcessorContext<K, R>): void {
    this.#context = context;
    const names = joinStoreNames(this.options.name);
    const isLeft = this.side === 'left';
    this.#thisStore = context.getStateStore(isLeft ? names.thisStore : names.otherStore);
    this.#otherStore = context.getStateStore(isLeft ? names.otherStore : names.thisStore);
    if (this.options.kind !== 'inner') this.#outerStore = context.getStateStore<KeyValueStore<TimestampedKeyAndSide<K>, LeftOrRightValue<VL, VR>>>(names.outerStore);
    this.#taskId = `${context.taskId().subtopology}_${context.taskId().partition}`;
    let time = this.trackers.get(this.#taskId);
    if (time === undefined) this.trackers.set(this.#taskId, (time = new SharedStreamTime()));
    time.users++;
    this.#time = time;
  }

  close(): void {
    if (--this.#time.users === 0) this.trackers.delete(this.#taskId);
  }

  process(record: Record<K, unknown>): void {
    const timestamp = record.timestamp;
    this.#time.streamTimeMs = Math.max(this.#time.streamTimeMs, timestamp);
    if (record.value === null || record.value === undefined) return this.#context.recordDropped('null-value');
    if (record.key === null || record.key === undefined) {
      // KIP-962 (Java 3.7+): a left/outer join forwards a null-key record unjoined at once.
      if (this.#emitsUnmatched) return this.#context.forward(record.withValue(this.#join(record.value, null, record.key)));
      return this.#context.recordDropped('null-key');
    }
    // Java's KStreamJoinWindow: every record enters its side's window store first.
    this.#thisStore.put(record.key, record.value, timestamp);
    if (this.#outerStore !== undefined && timestamp === this.#time.streamTimeMs) this.#emitClosedNonJoined(record);
    const windows = this.options.windows;
    const [beforeMs, afterMs] = this.side === 'left' ? [windows.beforeMs, windows.afterMs] : [windows.afterMs, windows.beforeMs];
    const timeToMs = Math.max(0, timestamp + afterMs);
    let matched = false;
    using others = this.#otherStore.fetch(record.key, Math.max(0, timestamp - beforeMs), timeToMs);
    for (const other of others) {
      matched = true;
      this.#outerStore?.delete({ timestampMs: other.key, leftSide: this.side !== 'left', key: record.key });
      this.#context.forward(record.withValue(this.#join(record.value, other.value, record.key)).withTimestamp(Math.max(timestamp, other.key)));
    }
    if (!matched && this.#emitsUnmatched) this.#holdOrEmitUnmatched(record, timeToMs);
  }

  /** Whether this side's records appear without a match (left side of left joins, both of outer). */
  get #emitsUnmatched(): boolean {
    return this.options.kind === 'outer' || (this.options.kind === 'left' && this.side === 'left');
  }

  #join(thisValue: unknown, otherValue: unknown, key: K): R {
    return this.side === 'left' ? this.options.joiner(thisValue as VL, otherValue as VR, key) : this.options.joiner(otherValue as VL, thisValue as VR, key);
  }

  #holdOrEmitUnmatched(record: Record<K, unknown>, timeToMs: number): void {
    // As Java: an out-of-order record whose window already ended is emitted at once.
    if (timeToMs < this.#time.streamTimeMs) return this.#context.forward(record.withValue(this.#join(record.value, null, record.key)));
    const isLeft = this.side === 'left';
    this.#outerStore?.put(
      { timestampMs: record.timestamp, leftSide: isLeft, key: record.key },
      isLeft ? { left: record.value as VL, right: null } : { left: null, right: record.value as VR },
    );
  }

  /**
   * Emits, oldest first, every held record whose window closed (timestamp + look-ahead + grace <
   * stream time), as Java's `emitNonJoinedOuterRecords`; stops once both sides' windows are open.
   */
  #emitClosedNonJoined(record: Record<K, unknown>): void {
    const store = this.#outerStore as KeyValueStore<TimestampedKeyAndSide<K>, LeftOrRightValue<VL, VR>>;
    const { beforeMs, afterMs, graceMs } = this.options.windows;
    const open = { left: false, right: false };
    const emitted: TimestampedKeyAndSide<K>[] = [];
    using pending = store.all();
    for (const { key, value } of pending) {
      if (open.left && open.right) break;
      const lookAheadMs = key.leftSide ? afterMs : beforeMs;
      if (key.timestampMs + lookAheadMs + graceMs >= this.#time.streamTimeMs) {
        open[key.leftSide ? 'left' : 'right'] = true;
        continue;
      }
      this.#context.forward(record.withKey(key.key).withValue(this.options.joiner(value.left, value.right, key.key)).withTimestamp(key.timestampMs));
      emitted.push(key);
    }
    for (const key of emitted) store.delete(key);
  }
}
