import {
  type Serde,
  Stores,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type Record,
  type SessionStore,
  type StateStore,
  type StoreBuilder,
  type Window,
  type Windowed,
} from '@kstreams/core';
import { countFunctions, type CountOptions, type AggregateFunctions, type AggregationStoreOptions, type EmitStrategy, type Merger } from './aggregation.js';
import { EmitTimeTracker, emitTimeStoreBuilder, emitTimeStoreName } from './internal/emit-time-store.js';
import type { WiredProcessor } from './wired-processor.js';
import type { SessionWindows } from './windows.js';

/** Options of {@link sessionAggregate}. */
export interface SessionAggregateOptions<K, V, A> extends AggregationStoreOptions<K, A>, AggregateFunctions<K, V, A> {
  readonly windows: SessionWindows;
  /** Combines the aggregates of sessions that one record bridges. */
  readonly merger: Merger<K, A>;
  readonly emitStrategy?: EmitStrategy;
  /** Session store retention; default (and minimum) gap + grace + 1 ms. */
  readonly retentionMs?: number;
}

/**
 * Aggregates records per key into sessions (Kafka Streams' `KStreamSessionWindowAggregate`).
 * A record at `t` merges every session of its key overlapping `[t - gap, t + gap]` into one
 * (aggregates combined with `merger`, starting from `initializer()`), then adds itself. With
 * `on-window-update` each merged-away session is forwarded as a tombstone (`null` value) and the
 * new session with its aggregate, timestamped with the session end. A record whose merged
 * session ends before `streamTime - gap - grace` is dropped (`late-record`). With
 * `on-window-close` each session is forwarded once, when no record can extend it any more.
 *
 * @example
 * const visits = sessionAggregate({ storeName: 'visits', backend: inMemoryBackend(), keySerde: Serdes.string(),
 *   aggregateSerde: Serdes.int64(), windows: SessionWindows.ofInactivityGapWithNoGrace(30 * 60_000),
 *   initializer: () => 0n, aggregator: (_key, _value, count) => count + 1n, merger: (_key, left, right) => left + right });
 */
export function sessionAggregate<K, V, A>(options: SessionAggregateOptions<K, V, A>): WiredProcessor<K, V, Windowed<K>, A | null> {
  const store = Stores.sessionStoreBuilder({
    name: options.storeName,
    backend: options.backend,
    // One ms more than Java's gap + grace: a session ending exactly at the close time can still
    // be merged, and stays readable until its final result is emitted.
    retentionMs: Math.max(options.retentionMs ?? 0, options.windows.retentionMs + 1),
    keySerde: options.keySerde,
    valueSerde: options.aggregateSerde,
  });
  const logging = options.logging ?? true;
  const storeBuilders: StoreBuilder<StateStore>[] = [logging ? store : store.withLoggingDisabled()];
  if (options.emitStrategy === 'on-window-close') storeBuilders.push(emitTimeStoreBuilder(options.storeName, options.backend, logging));
  return { supplier: () => new SessionAggregateProcessor(options), storeBuilders };
}

/** `count()` per key and session; merged sessions add their counts. */
export function sessionCount<K>(options: CountOptions<SessionAggregateOptions<K, unknown, bigint>>): WiredProcessor<K, unknown, Windowed<K>, bigint | null> {
  return sessionAggregate({ ...options, aggregateSerde: options.aggregateSerde as Serde<bigint>, ...countFunctions<K, unknown>(), merger: (_key, left, right) => left + right });
}

class SessionAggregateProcessor<K, V, A> implements Processor<K, V, Windowed<K>, A | null> {
  #context!: ProcessorContext<Windowed<K>, A | null>;
  #store!: SessionStore<K, A>;
  readonly #emitTime = new EmitTimeTracker();
  #observedStreamTimeMs = -1;
  /**
   * A lower bound of the end of every session not emitted yet (on-window-close): until the close
   * time passes it, no session can have closed and the store is not scanned. Unknown (so
   * scanned) after a restart.
   */
  #minOpenEndMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SessionAggregateOptions<K, V, A>) {}

  init(context: ProcessorContext<Windowed<K>, A | null>): void {
    this.#context = context;
    this.#store = context.getStateStore(this.options.storeName);
    if (this.#emitsFinal) this.#emitTime.open(context.getStateStore<KeyValueStore<string | null, number | null>>(emitTimeStoreName(this.options.storeName)));
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) return this.#context.recordDropped('null-key');
    const gapMs = this.options.windows.inactivityGapMs;
    this.#observedStreamTimeMs = Math.max(this.#observedStreamTimeMs, record.timestamp);
    const closeTimeMs = this.#observedStreamTimeMs - this.options.windows.graceMs - gapMs;
    // As for time windows: final results go out before this record's write moves retention on.
    if (this.#emitsFinal) this.#emitClosedSessions(record, closeTimeMs);
    let aggregate = this.options.initializer();
    let merged: Window = { startMs: record.timestamp, endMs: record.timestamp };
    const overlapping: { key: Windowed<K>; value: A }[] = [];
    using found = this.#store.findSessions(record.key, record.timestamp - gapMs, record.timestamp + gapMs);
    for (const session of found) {
      overlapping.push(session);
      aggregate = this.options.merger(record.key, aggregate, session.value);
      merged = { startMs: Math.min(merged.startMs, session.key.window.startMs), endMs: Math.max(merged.endMs, session.key.window.endMs) };
    }
    if (merged.endMs < closeTimeMs) this.#context.recordDropped('late-record');
    else this.#updateSession(record, overlapping, merged, aggregate);
  }

  get #emitsFinal(): boolean {
    return this.options.emitStrategy === 'on-window-close';
  }

  #updateSession(record: Record<K, V>, overlapping: readonly { key: Windowed<K>; value: A }[], merged: Window, aggregate: A): void {
    // As Java: unless the merged session is just the record's own [t, t], every session found is
    // removed and forwarded as a tombstone before the merged one is put (even one with the same window).
    const replacesFound = merged.startMs !== record.timestamp || merged.endMs !== record.timestamp;
    for (const session of replacesFound ? overlapping : []) {
      this.#store.remove(session.key);
      if (!this.#emitsFinal) this.#context.forward(record.withKey(session.key).withValue(null).withTimestamp(session.key.window.endMs));
    }
    const updated = this.options.aggregator(record.key, record.value, aggregate);
    const sessionKey: Windowed<K> = { key: record.key, window: merged };
    this.#store.put(sessionKey, updated);
    this.#minOpenEndMs = Math.min(this.#minOpenEndMs, merged.endMs);
    if (!this.#emitsFinal) this.#context.forward(record.withKey(sessionKey).withValue(updated).withTimestamp(merged.endMs));
  }

  /** Forwards every session ending in [lastEmitted, closeTime): none can grow any more. */
  #emitClosedSessions(record: Record<K, V>, closeTimeMs: number): void {
    const lastEmittedMs = this.#emitTime.lastEmittedMs;
    if (closeTimeMs <= lastEmittedMs || closeTimeMs <= this.#minOpenEndMs) return;
    let minOpenEndMs = Number.POSITIVE_INFINITY;
    using sessions = this.#store.findSessions(undefined, undefined, Math.max(0, lastEmittedMs), Number.MAX_SAFE_INTEGER);
    for (const { key, value } of sessions) {
      if (key.window.endMs < lastEmittedMs) continue;
      if (key.window.endMs >= closeTimeMs) minOpenEndMs = Math.min(minOpenEndMs, key.window.endMs);
      else this.#context.forward(record.withKey(key).withValue(value).withTimestamp(key.window.endMs));
    }
    this.#minOpenEndMs = minOpenEndMs;
    this.#emitTime.update(closeTimeMs);
  }
}
