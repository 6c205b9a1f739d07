import type { EngineMetricsOptions } from '../engine/engine-metrics.js';
import type { StoreBackend } from './bytes-store.js';

/** Called for each changelog record while a store restores (bytes as logged). */
export type StateRestoreCallback = (records: readonly { key: Uint8Array; value: Uint8Array | null }[]) => void;

/**
 * What a store gets when its task initialises it. The runtime and test driver provide it.
 */
export interface StateStoreContext {
  applicationId(): string;
  /** Printed task id, e.g. `0_3`. */
  taskId(): string;
  appConfigs(): Readonly<{ [key: string]: unknown }>;
  /** `<stateDir>/<applicationId>/<taskId>`, or `undefined` when state is not kept on disk. */
  stateDirectory(): string | undefined;
  /** The task's stream time (window/session retention is measured against it). */
  currentStreamTimeMs(): number;
  /**
   * Optional: the timestamp of the record being processed. Change-logging stores stamp their
   * changelog records with it (as Kafka Streams does); without it they use stream time.
   */
  currentRecordTimestampMs?(): number;
  /** Registers the store with the task's state manager, with how to apply restored records. */
  register(store: StateStore, restoreCallback: StateRestoreCallback): void;
  /** Where change-logging stores send their writes; `undefined` when logging is off. */
  changelogWriter(storeName: string): ChangelogWriter | undefined;
  /** Shared record cache of the instance; `undefined` when caching is off. */
  cacheBudget(): CacheBudget | undefined;
  /** Optional: the host's meter and recording level; without it stores use the global meter. */
  metrics?(): EngineMetricsOptions | undefined;
}

/** Receives every write of a logged store (a `null` value is a delete: a tombstone). */
export interface ChangelogWriter {
  log(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void;
}

/**
 * The size budget shared by all caching stores of an instance
 * (`statestore.cache.max.bytes`). Caches reserve bytes and release them on eviction/flush.
 */
export interface CacheBudget {
  readonly maxBytes: number;
  /** Bytes currently used across all caches. */
  usedBytes(): number;
  /** Accounts `delta` bytes (negative to release). */
  adjust(delta: number): void;
}

/** The base of every state store. */
export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  isOpen(): boolean;
  init(context: StateStoreContext): void | Promise<void>;
  flush(): void | Promise<void>;
  close(): void | Promise<void>;
  /** Drops cached, not yet flushed writes (a task closing dirty); stores without a cache ignore it. */
  discardCache?(): void;
  /** Writes cached writes down and to the changelog, without making the store durable (the first half of a commit). */
  flushCache?(): void;
}

/** A key and a value. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/** An iterator that holds store resources until closed: `using it = store.range(a, b)`. */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>>, Disposable {
  /** The next key without consuming it, or `undefined` at the end. */
  peekNextKey(): K | undefined;
  close(): void;
}

export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | undefined;
  /** Values for many keys at once (one backend round). */
  getMany(keys: readonly K[]): (V | undefined)[];
  /** Keys from `from` to `to` inclusive, in the byte order of serialized keys. */
  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V>;
  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V>;
  all(): KeyValueIterator<K, V>;
  reverseAll(): KeyValueIterator<K, V>;
  /** Entries whose serialized key starts with the serialized `prefix`. */
  prefixScan<P>(prefix: P, prefixSerializer: { serialize(topic: string, data: P): Uint8Array | null }): KeyValueIterator<K, V>;
  approximateNumEntries(): number;
}

export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  /** Writes `value`; `null` or `undefined` deletes the key. */
  put(key: K, value: V | null | undefined): void;
  /** Writes only when the key is absent; returns the existing value, if any. */
  putIfAbsent(key: K, value: V): V | undefined;
  putAll(entries: readonly KeyValue<K, V | null>[]): void;
  /** Deletes the key; returns the old value, if any. */
  delete(key: K): V | undefined;
  deleteAll(keys: readonly K[]): void;
}

/** A value and the timestamp of the record that wrote it. */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** A key-value store whose values carry their record timestamp. */
export type TimestampedKeyValueStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>>;

/** A time window `[startMs, endMs)`. */
export interface Window {
  readonly startMs: number;
  readonly endMs: number;
}

/** A key within a window (or session). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key` in the window starting at `windowStartMs`. */
  fetch(key: K, windowStartMs: number): V | undefined;
  /** Windows of `key` starting in `[timeFromMs, timeToMs]`, oldest first; values keyed by window start. */
  fetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V>;
  backwardFetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V>;
  /** Windows of keys in `[keyFrom, keyTo]` starting in `[timeFromMs, timeToMs]`. */
  fetchRange(keyFrom: K | undefined, keyTo: K | undefined, timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetchRange(keyFrom: K | undefined, keyTo: K | undefined, timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V>;
  /** All windows of all keys starting in `[timeFromMs, timeToMs]`. */
  fetchAll(timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFetchAll(timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V>;
  all(): KeyValueIterator<Windowed<K>, V>;
  backwardAll(): KeyValueIterator<Windowed<K>, V>;
}

export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  /**
   * Writes the value of `key` for the window starting at `windowStartMs`; `null` deletes.
   * Writes older than stream time minus retention are dropped (and counted).
   */
  put(key: K, value: V | null, windowStartMs: number): void;
}

export interface ReadOnlySessionStore<K, V> {
  /** Sessions of `key` that end at or after `earliestSessionEndMs` and start at or before `latestSessionStartMs`. */
  findSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  /**
   * Sessions of every key in `[keyFrom, keyTo]` (either bound `undefined`: open) that end at or
   * after `earliestSessionEndMs` and start at or before `latestSessionStartMs`.
   */
  findSessions(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFindSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFindSessions(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  /** The value of one exact session, if present. */
  fetchSession(key: K, sessionStartMs: number, sessionEndMs: number): V | undefined;
  /** All sessions of `key`. */
  fetch(key: K): KeyValueIterator<Windowed<K>, V>;
  /** All sessions of every key in `[keyFrom, keyTo]` (either bound `undefined`: open). */
  fetch(keyFrom: K | undefined, keyTo: K | undefined): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(keyFrom: K | undefined, keyTo: K | undefined): KeyValueIterator<Windowed<K>, V>;
}

export interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
  readonly retentionMs: number;
  /** Writes a session (`key.window` = `[start, end]`, both inclusive as in Kafka Streams). */
  put(session: Windowed<K>, value: V | null): void;
  remove(session: Windowed<K>): void;
}

/** One version of a key's value: the value and the timestamp it became valid at (KIP-889). */
export interface VersionedRecord<V> {
  readonly value: V;
  /** When this version became valid (the timestamp it was put with). */
  readonly timestamp: number;
  /** When the next version replaced it; `undefined` for the latest version. */
  readonly validToMs: number | undefined;
}

/**
 * A key-value store that keeps every version of a value for `historyRetentionMs` of observed
 * stream time (Kafka Streams' `VersionedKeyValueStore`, KIP-889): `get(key, asOfTimestamp)`
 * returns the value valid at that time, so out-of-order lookups (e.g. a stream-table join) see
 * the table as it was. Tombstones are versions too: a key deleted at `t` has no value as of `t`.
 */
export interface VersionedKeyValueStore<K, V> extends StateStore {
  readonly historyRetentionMs: number;
  /**
   * Writes `value` (null deletes) valid from `timestampMs`. Returns when the written version
   * stops being valid: `-1` when it is the latest, the next version's timestamp when it was put
   * out of order, or `Number.MIN_SAFE_INTEGER` when it is older than the history retention and
   * was not written.
   */
  put(key: K, value: V | null, timestampMs: number): number;
  /** Deletes the key as of `timestampMs`; returns the version valid just before, if any. */
  delete(key: K, timestampMs: number): VersionedRecord<V> | undefined;
  /** The latest version, unless it is a tombstone. */
  get(key: K): VersionedRecord<V> | undefined;
  /** The version valid at `asOfTimestampMs`; `undefined` when none, or older than the retention. */
  get(key: K, asOfTimestampMs: number): VersionedRecord<V> | undefined;
}

/** Changelog topic settings a store may override. */
export type LogConfig = Readonly<{ [topicConfig: string]: string }>;

/**
 * Builds a store per task. Defaults as in Kafka Streams: caching off, logging on.
 */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  withCachingEnabled(): this;
  withCachingDisabled(): this;
  withLoggingEnabled(config?: LogConfig): this;
  withLoggingDisabled(): this;
  readonly cachingEnabled: boolean;
  readonly loggingEnabled: boolean;
  readonly logConfig: LogConfig;
  /** The backend that stores the bytes. */
  readonly backend: StoreBackend;
  /** Window/session stores: retention (ms) for the changelog topic's settings. */
  readonly retentionMs?: number;
  build(): S;
}
