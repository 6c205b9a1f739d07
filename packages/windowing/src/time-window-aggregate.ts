import {
  type Serde,
  ConfigError,
  Stores,
  valueAndTimestampSerde,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type Record,
  type StateStore,
  type StoreBuilder,
  type ValueAndTimestamp,
  type Window,
  type WindowStore,
  type Windowed,
} from '@kstreams/core';
import { countFunctions, type CountOptions, reduceFunctions, type AggregateFunctions, type AggregationStoreOptions, type EmitStrategy, type Reducer } from './aggregation.js';
import { EmitTimeTracker, emitTimeStoreBuilder, emitTimeStoreName } from './internal/emit-time-store.js';
import type { WiredProcessor } from './wired-processor.js';
import type { TimeWindows } from './windows.js';

/** Options of {@link windowedAggregate}. */
export interface TimeWindowAggregateOptions<K, V, A> extends AggregationStoreOptions<K, A>, AggregateFunctions<K, V, A> {
  readonly windows: TimeWindows;
  readonly emitStrategy?: EmitStrategy;
  /** Window store retention; default size + grace. Must be at least that. */
  readonly retentionMs?: number;
  /** Drop records without a value (counted as `null-value`), as `reduce` does. */
  readonly skipNullValues?: boolean;
}

/**
 * Aggregates records per key into tumbling or hopping windows (Kafka Streams'
 * `KStreamWindowAggregate`). For each window of the record's timestamp that is still open
 * (`windowEnd > streamTime - grace`) the aggregate is updated and, with `on-window-update`,
 * forwarded with the window's newest record timestamp; each closed window counts a dropped
 * `late-record`. With `on-window-close` each window is forwarded once, after it closes.
 *
 * @example
 * const perMinute = windowedAggregate({
 *   storeName: 'clicks-per-minute', backend: inMemoryBackend(), keySerde: Serdes.string(), aggregateSerde: Serdes.int64(),
 *   windows: TimeWindows.ofSizeAndGrace(60_000, 5_000), initializer: () => 0n, aggregator: (_key, _value, count) => count + 1n,
 * });
 */
export function windowedAggregate<K, V, A>(options: TimeWindowAggregateOptions<K, V, A>): WiredProcessor<K, V, Windowed<K>, A> {
  const retentionMs = options.retentionMs ?? options.windows.retentionMs;
  if (retentionMs < options.windows.retentionMs) {
    throw new ConfigError(
      `Windowed aggregation "${options.storeName}": retentionMs (${retentionMs}) is below window size + grace (${options.windows.retentionMs}); windows would expire before they close.`,
    );
  }
  const store = Stores.windowStoreBuilder({
    name: options.storeName,
    backend: options.backend,
    retentionMs,
    windowSizeMs: options.windows.sizeMs,
    keySerde: options.keySerde,
    valueSerde: valueAndTimestampSerde(options.aggregateSerde),
  });
  const logging = options.logging ?? true;
  const storeBuilders: StoreBuilder<StateStore>[] = [logging ? store : store.withLoggingDisabled()];
  if (options.emitStrategy === 'on-window-close') storeBuilders.push(emitTimeStoreBuilder(options.storeName, options.backend, logging));
  return { supplier: () => new TimeWindowAggregateProcessor(options), storeBuilders };
}

/** `count()` per key and time window (Kafka Streams' `TimeWindowedKStream.count`). */
export function windowedCount<K>(options: CountOptions<TimeWindowAggregateOptions<K, unknown, bigint>>): WiredProcessor<K, unknown, Windowed<K>, bigint> {
  return windowedAggregate({ ...options, aggregateSerde: options.aggregateSerde as Serde<bigint>, ...countFunctions<K, unknown>() });
}

/** `reduce(reducer)` per key and time window; records without a value are skipped. */
export function windowedReduce<K, V>(options: Omit<TimeWindowAggregateOptions<K, V, V>, 'initializer' | 'aggregator'> & { readonly reducer: Reducer<V> }): WiredProcessor<K, V, Windowed<K>, V> {
  return windowedAggregate({ ...options, ...reduceFunctions<K, V>(options.reducer), skipNullValues: true });
}

class TimeWindowAggregateProcessor<K, V, A> implements Processor<K, V, Windowed<K>, A> {
  #context!: ProcessorContext<Windowed<K>, A>;
  #store!: WindowStore<K, ValueAndTimestamp<A>>;
  readonly #emitTime = new EmitTimeTracker();
  #observedStreamTimeMs = -1;

  constructor(private readonly options: TimeWindowAggregateOptions<K, V, A>) {}

  init(context: ProcessorContext<Windowed<K>, A>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
    if (this.#emitsFinal) this.#emitTime.open(context.getStateStore<KeyValueStore<string | null, number | null>>(emitTimeStoreName(this.options.storeName)));
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    if (this.options.skipNullValues === true && (record.value === null || record.value === undefined)) return this.#context.recordDropped('null-value');
    this.#observedStreamTimeMs = Math.max(this.#observedStreamTimeMs, record.timestamp);
    const closeTimeMs = this.#observedStreamTimeMs - this.options.windows.graceMs;
    // Closed windows are emitted before this record's writes move the store's retention on,
    // so a jump in stream time cannot expire a window before its final result is out.
    if (this.#emitsFinal) this.#emitClosedWindows(record, closeTimeMs);
    for (const window of this.options.windows.windowsFor(record.timestamp)) {
      if (window.endMs > closeTimeMs) this.#update(record, window);
      else this.#context.recordDropped('late-record');
    }
  }

  get #emitsFinal(): boolean {
    return this.options.emitStrategy === 'on-window-close';
  }

  #update(record: Record<K, V>, window: Window): void {
    const old = this.#store.fetch(record.key, window.startMs);
    const aggregate = this.options.aggregator(record.key, record.value, old === undefined ? this.options.initializer() : old.value);
    const timestamp = old === undefined ? record.timestamp : Math.max(record.timestamp, old.timestamp);
    this.#store.put(record.key, { value: aggregate, timestamp }, window.startMs);
    if (!this.#emitsFinal) this.#context.forward(record.withKey({ key: record.key, window }).withValue(aggregate).withTimestamp(timestamp));
  }

  /** Forwards every window that closed since the last emit: end in (lastEmitted, closeTime]. */
  #emitClosedWindows(record: Record<K, V>, closeTimeMs: number): void {
    const lastEmittedMs = this.#emitTime.lastEmittedMs;
    if (closeTimeMs <= lastEmittedMs) return;
    const { sizeMs, advanceMs } = this.options.windows;
    // Windows end on multiples of the advance (plus the size): unless the close time passed the
    // next such end, no window closed, and the store is not scanned (nor the emit time written).
    const nextEndMs = Math.max(sizeMs, Math.ceil((lastEmittedMs + 1 - sizeMs) / advanceMs) * advanceMs + sizeMs);
    if (closeTimeMs < nextEndMs) return;
    const fromStartMs = lastEmittedMs < 0 ? 0 : Math.max(0, lastEmittedMs - sizeMs + 1);
    const toStartMs = closeTimeMs - sizeMs;
    if (toStartMs >= fromStartMs) {
      using closed = this.#store.fetchAll(fromStartMs, toStartMs);
      for (const { key, value } of closed) {
        this.#context.forward(record.withKey(key).withValue(value.value).withTimestamp(value.timestamp));
      }
    }
    this.#emitTime.update(closeTimeMs);
  }
}
