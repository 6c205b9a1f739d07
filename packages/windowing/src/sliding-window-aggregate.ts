import {
  type Serde,
  Stores,
  type KeyValueStore,
  type StateStore,
  type StoreBuilder,
  valueAndTimestampSerde,
  type Processor,
  type ProcessorContext,
  type Record,
  type ValueAndTimestamp,
  type Window,
  type WindowStore,
  type Windowed,
} from '@kstreams/core';
import { countFunctions, type CountOptions, type AggregateFunctions, type AggregationStoreOptions, type EmitStrategy } from './aggregation.js';
import { EmitTimeTracker, emitTimeStoreBuilder, emitTimeStoreName } from './internal/emit-time-store.js';
import { SlidingWindowScan } from './internal/sliding-window-scan.js';
import type { WiredProcessor } from './wired-processor.js';
import type { SlidingWindows } from './windows.js';

/** Options of {@link slidingAggregate}. */
export interface SlidingAggregateOptions<K, V, A> extends AggregationStoreOptions<K, A>, AggregateFunctions<K, V, A> {
  readonly windows: SlidingWindows;
  /** Window store retention; default 2 × time difference + grace. */
  readonly retentionMs?: number;
  /** `on-window-close`: forward each window once, when `end < streamTime - grace` (KIP-825). */
  readonly emitStrategy?: EmitStrategy;
}

/**
 * Aggregates records per key over sliding windows (Kafka Streams'
 * `KStreamSlidingWindowAggregate`): each record gets a window `[t - d, t]` ending at it, and a
 * window `[t + 1, t + 1 + d]` starting just after it once a later record falls there; a record
 * also joins every existing window containing it. Windows are inclusive at both ends and are
 * forwarded on every update with their newest record timestamp. A record whose windows are all
 * closed (`t + d + 1 <= streamTime - grace`) is dropped (`late-record`); so are records without
 * a key or value.
 *
 * @example
 * const lastTenSeconds = slidingAggregate({ storeName: 'recent', backend: inMemoryBackend(), keySerde: Serdes.string(),
 *   aggregateSerde: Serdes.int64(), windows: SlidingWindows.ofTimeDifferenceWithNoGrace(10_000),
 *   initializer: () => 0n, aggregator: (_key, _value, count) => count + 1n });
 */
export function slidingAggregate<K, V, A>(options: SlidingAggregateOptions<K, V, A>): WiredProcessor<K, V, Windowed<K>, A> {
  const store = Stores.windowStoreBuilder({
    name: options.storeName,
    backend: options.backend,
    retentionMs: Math.max(options.retentionMs ?? 0, options.windows.retentionMs),
    windowSizeMs: options.windows.timeDifferenceMs,
    keySerde: options.keySerde,
    valueSerde: valueAndTimestampSerde(options.aggregateSerde),
  });
  const logging = options.logging !== false;
  const storeBuilders: StoreBuilder<StateStore>[] = [logging ? store : store.withLoggingDisabled()];
  if (options.emitStrategy === 'on-window-close') storeBuilders.push(emitTimeStoreBuilder(options.storeName, options.backend, logging));
  return { supplier: () => new SlidingAggregateProcessor(options), storeBuilders };
}

/** `count()` per key over sliding windows. */
export function slidingCount<K>(options: CountOptions<SlidingAggregateOptions<K, unknown, bigint>>): WiredProcessor<K, unknown, Windowed<K>, bigint> {
  return slidingAggregate({ ...options, aggregateSerde: options.aggregateSerde as Serde<bigint>, ...countFunctions<K, unknown>() });
}

class SlidingAggregateProcessor<K, V, A> implements Processor<K, V, Windowed<K>, A> {
  #context!: ProcessorContext<Windowed<K>, A>;
  #store!: WindowStore<K, ValueAndTimestamp<A>>;
  #observedStreamTimeMs = -1;
  readonly #emitTime = new EmitTimeTracker();

  constructor(private readonly options: SlidingAggregateOptions<K, V, A>) {}

  init(context: ProcessorContext<Windowed<K>, A>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
    if (this.#emitsFinal) this.#emitTime.open(context.getStateStore<KeyValueStore<string | null, number | null>>(emitTimeStoreName(this.options.storeName)));
  }

  get #emitsFinal(): boolean {
    return this.options.emitStrategy === 'on-window-close';
  }

  /** Forwards every window that closed since the last emit: end in [lastEmitted, closeTime). */
  #emitClosedWindows(record: Record<K, V>, closeTimeMs: number): void {
    const lastEmittedMs = this.#emitTime.lastEmittedMs;
    if (closeTimeMs <= lastEmittedMs) return;
    const differenceMs = this.options.windows.timeDifferenceMs;
    const fromStartMs = Math.max(0, lastEmittedMs - differenceMs);
    const toStartMs = closeTimeMs - differenceMs - 1;
    if (toStartMs >= fromStartMs) {
      using closed = this.#store.fetchAll(fromStartMs, toStartMs);
      for (const { key, value } of closed) this.#context.forward(record.withKey(key).withValue(value.value).withTimestamp(value.timestamp));
    }
    this.#emitTime.update(closeTimeMs);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    if (record.value === null || record.value === undefined) return this.#context.recordDropped('null-value');
    const differenceMs = this.options.windows.timeDifferenceMs;
    this.#observedStreamTimeMs = Math.max(this.#observedStreamTimeMs, record.timestamp);
    const closeTimeMs = this.#observedStreamTimeMs - this.options.windows.graceMs;
    // Final results go out before this record's writes move the store's retention on.
    if (this.#emitsFinal) this.#emitClosedWindows(record, closeTimeMs);
    if (record.timestamp + 1 + differenceMs <= closeTimeMs) return this.#context.recordDropped('late-record');
    const scan = new SlidingWindowScan<A>(record.timestamp, differenceMs);
    const early = record.timestamp < differenceMs;
    using windows = this.#store.fetch(record.key, early ? 0 : Math.max(0, record.timestamp - 2 * differenceMs), record.timestamp + 1);
    for (const { key: startMs, value } of windows) {
      const update = early ? scan.visitEarly(startMs, value) : scan.visit(startMs, value);
      if (update) this.#update(record, this.#window(startMs), value, closeTimeMs);
    }
    if (early) this.#createEarlyWindows(record, scan, closeTimeMs);
    else this.#createWindows(record, scan, closeTimeMs);
  }

  #window(startMs: number): Window {
    return { startMs, endMs: startMs + this.options.windows.timeDifferenceMs };
  }

  /** After the scan: the previous record's right window, this record's left and right windows. */
  #createWindows(record: Record<K, V>, scan: SlidingWindowScan<A>, closeTimeMs: number): void {
    const differenceMs = this.options.windows.timeDifferenceMs;
    const previous = scan.previousRecordTimestampMs;
    if (previous !== undefined && !scan.startTimes.has(previous + 1) && previous + 1 + differenceMs >= record.timestamp) {
      this.#update(record, this.#window(previous + 1), { value: this.options.initializer(), timestamp: record.timestamp }, closeTimeMs);
    }
    if (!scan.leftWindowExists) {
      const leftHasPrevious = previous !== undefined && record.timestamp - differenceMs <= previous && scan.leftAggregate !== undefined;
      const start = leftHasPrevious ? (scan.leftAggregate as ValueAndTimestamp<A>).value : this.options.initializer();
      this.#update(record, this.#window(record.timestamp - differenceMs), { value: start, timestamp: record.timestamp }, closeTimeMs);
    }
    this.#maybeCreateRightWindow(record, scan);
  }

  /** Records before the first full time difference share the window [0, d] (Java's processEarly). */
  #createEarlyWindows(record: Record<K, V>, scan: SlidingWindowScan<A>, closeTimeMs: number): void {
    const combined = scan.combinedWindow;
    if (scan.rightAggregate === undefined && combined !== undefined && combined.timestamp > record.timestamp) scan.rightAggregate = combined;
    this.#maybeCreateRightWindow(record, scan);
    const previous = scan.previousRecordTimestampMs;
    if (previous !== undefined && !scan.startTimes.has(previous + 1)) {
      this.#update(record, this.#window(previous + 1), { value: this.options.initializer(), timestamp: record.timestamp }, closeTimeMs);
    }
    const start = combined ?? { value: this.options.initializer(), timestamp: record.timestamp };
    this.#update(record, this.#window(0), start, closeTimeMs);
  }

  #maybeCreateRightWindow(record: Record<K, V>, scan: SlidingWindowScan<A>): void {
    const right = scan.rightAggregate;
    if (scan.rightWindowExists || right === undefined || right.timestamp <= record.timestamp) return;
    const window = this.#window(record.timestamp + 1);
    this.#store.put(record.key, right, window.startMs);
    if (!this.#emitsFinal) this.#context.forward(record.withKey({ key: record.key, window }).withValue(right.value).withTimestamp(right.timestamp));
  }

  #update(record: Record<K, V>, window: Window, current: ValueAndTimestamp<A>, closeTimeMs: number): void {
    if (window.endMs < closeTimeMs) return this.#context.recordDropped('late-record');
    const aggregate = this.options.aggregator(record.key, record.value, current.value);
    const timestamp = Math.max(record.timestamp, current.timestamp);
    this.#store.put(record.key, { value: aggregate, timestamp }, window.startMs);
    if (!this.#emitsFinal) this.#context.forward(record.withKey({ key: record.key, window }).withValue(aggregate).withTimestamp(timestamp));
  }
}
