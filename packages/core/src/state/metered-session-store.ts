import { SerializationError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import { compareBytes, concatBytes, equalBytes, longBytes, maxBytes } from './internals/bytes.js';
import type { BytesLayer } from './internals/bytes-layer.js';
import { MeteredStore } from './internals/metered-store.js';
import type { RetentionTracker } from './internals/retention-tracker.js';
import { segmentedScan } from './internals/segmented-scan.js';
import { SessionKeySchema } from './internals/session-key-schema.js';
import type { KeyValueIterator, SessionStore, Windowed } from './state-store.js';

/** Options of a {@link MeteredSessionStore}. */
export interface MeteredSessionStoreOptions<K, V> {
  readonly name: string;
  readonly layers: BytesLayer;
  readonly tracker: RetentionTracker;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  readonly storeType: string;
}

/** One session scan: time bounds, key bounds and how to read keys back. */
interface SessionScan<K> {
  readonly fromMs: number;
  readonly latestSessionStartMs: number;
  readonly reverse: boolean;
  readonly lowerKey: Uint8Array | undefined;
  readonly upperKey: Uint8Array | undefined;
  readonly keyMatches: (keyBytes: Uint8Array) => boolean;
  readonly keyOf: (keyBytes: Uint8Array) => K;
}

/**
 * The typed session store: keys are `key + session end + session start` in time segments by
 * session end (see `SessionKeySchema`). Sessions ending at or before observed stream time
 * minus retention are dropped on write (and counted) and never returned.
 */
export class MeteredSessionStore<K, V> extends MeteredStore implements SessionStore<K, V> {
  readonly retentionMs: number;
  readonly #options: MeteredSessionStoreOptions<K, V>;
  readonly #tracker: RetentionTracker;

  constructor(options: MeteredSessionStoreOptions<K, V>) {
    super(options.name, options.layers, options.storeType);
    this.#options = options;
    this.#tracker = options.tracker;
    this.retentionMs = options.tracker.retentionMs;
    this.#tracker.onDropped = () => this.metrics.recordDropped();
  }

  /** Writes dropped so far because they were older than the retention. */
  get droppedRecords(): number {
    return this.#tracker.droppedRecords;
  }

  put(session: Windowed<K>, value: V | null): void {
    this.ensureOpen();
    this.metrics.time('put', () => this.#write(session, value));
  }

  remove(session: Windowed<K>): void {
    this.ensureOpen();
    this.metrics.time('remove', () => this.#write(session, null));
  }

  fetchSession(key: K, sessionStartMs: number, sessionEndMs: number): V | undefined {
    this.ensureOpen();
    return this.metrics.time('fetch', () => {
      if (this.#tracker.isExpired(sessionEndMs)) return undefined;
      const composite = SessionKeySchema.toStoreKey(this.#key(key), sessionStartMs, sessionEndMs);
      const bytes = this.layers.get(this.#tracker.segmentedKey(composite, sessionEndMs));
      return bytes === undefined ? undefined : this.#options.valueSerde.deserialize(this.serdeTopic, bytes);
    });
  }

  findSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  findSessions(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  findSessions(first: K | undefined, second: K | number | undefined, third: number, fourth?: number): KeyValueIterator<Windowed<K>, V> {
    if (fourth === undefined) return this.#find(first as K, second as number, third, false);
    return this.#findRange(first, second as K | undefined, third, fourth, false);
  }
  backwardFindSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFindSessions(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V>;
  backwardFindSessions(first: K | undefined, second: K | number | undefined, third: number, fourth?: number): KeyValueIterator<Windowed<K>, V> {
    if (fourth === undefined) return this.#find(first as K, second as number, third, true);
    return this.#findRange(first, second as K | undefined, third, fourth, true);
  }
  fetch(key: K): KeyValueIterator<Windowed<K>, V>;
  fetch(keyFrom: K | undefined, keyTo: K | undefined): KeyValueIterator<Windowed<K>, V>;
  fetch(...keys: [K] | [K | undefined, K | undefined]): KeyValueIterator<Windowed<K>, V> {
    if (keys.length === 1) return this.#find(keys[0], 0, Number.MAX_SAFE_INTEGER, false);
    return this.#findRange(keys[0], keys[1], 0, Number.MAX_SAFE_INTEGER, false);
  }
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(keyFrom: K | undefined, keyTo: K | undefined): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(...keys: [K] | [K | undefined, K | undefined]): KeyValueIterator<Windowed<K>, V> {
    if (keys.length === 1) return this.#find(keys[0], 0, Number.MAX_SAFE_INTEGER, true);
    return this.#findRange(keys[0], keys[1], 0, Number.MAX_SAFE_INTEGER, true);
  }

  #write(session: Windowed<K>, value: V | null): void {
    const { startMs, endMs } = session.window;
    this.#tracker.observe(endMs);
    if (this.#tracker.isExpired(endMs)) return this.#tracker.recordDropped();
    const composite = SessionKeySchema.toStoreKey(this.#key(session.key), startMs, endMs);
    const bytes = value === null ? null : this.#options.valueSerde.serialize(this.serdeTopic, value);
    this.layers.write(this.#tracker.segmentedKey(composite, endMs), bytes, this.writeTimestamp());
  }

  /** Sessions of `key` with end >= earliestEnd and start <= latestStart, ordered by end time. */
  #find(key: K, earliestSessionEndMs: number, latestSessionStartMs: number, reverse: boolean): KeyValueIterator<Windowed<K>, V> {
    this.ensureOpen();
    const keyBytes = this.#key(key);
    const fromMs = Math.max(earliestSessionEndMs, this.#tracker.earliestLiveMs(), 0);
    return this.#scan({
      fromMs,
      latestSessionStartMs,
      reverse,
      lowerKey: concatBytes(keyBytes, longBytes(fromMs)),
      // Bounded by the largest possible session end, not 0xff…: longer keys starting with the
      // same bytes (`key-1` / `key-10`) sort after it, so the scan never walks their sessions.
      upperKey: concatBytes(keyBytes, longBytes(Number.MAX_SAFE_INTEGER), maxBytes(8)),
      keyMatches: (bytes) => equalBytes(bytes, keyBytes),
      keyOf: () => key,
    });
  }

  /**
   * Sessions of keys in `[keyFrom, keyTo]` with end >= earliestEnd and start <= latestStart, as
   * Kafka Streams' key-range `findSessions`: segment by segment (by session end), each in key order.
   */
  #findRange(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndMs: number, latestSessionStartMs: number, reverse: boolean): KeyValueIterator<Windowed<K>, V> {
    this.ensureOpen();
    const fromBytes = keyFrom === undefined ? undefined : this.#key(keyFrom);
    const toBytes = keyTo === undefined ? undefined : this.#key(keyTo);
    return this.#scan({
      fromMs: Math.max(earliestSessionEndMs, this.#tracker.earliestLiveMs(), 0),
      latestSessionStartMs,
      reverse,
      lowerKey: fromBytes,
      upperKey: toBytes === undefined ? undefined : concatBytes(toBytes, maxBytes(SessionKeySchema.suffixLength)),
      keyMatches: (bytes) => (fromBytes === undefined || compareBytes(bytes, fromBytes) >= 0) && (toBytes === undefined || compareBytes(bytes, toBytes) <= 0),
      keyOf: (bytes) => this.#options.keySerde.deserialize(this.serdeTopic, bytes),
    });
  }

  #scan(options: SessionScan<K>): KeyValueIterator<Windowed<K>, V> {
    const source = segmentedScan({
      layers: this.layers,
      tracker: this.#tracker,
      fromMs: options.fromMs,
      // A session may end at any time after it starts, so search up to the newest segment.
      toMs: this.#tracker.observedStreamTimeMs,
      reverse: options.reverse,
      lowerKey: options.lowerKey,
      upperKey: options.upperKey,
      keep: (composite) => {
        const endMs = SessionKeySchema.endOf(composite);
        return (
          options.keyMatches(SessionKeySchema.keyOf(composite)) &&
          endMs >= options.fromMs &&
          SessionKeySchema.startOf(composite) <= options.latestSessionStartMs &&
          !this.#tracker.isExpired(endMs)
        );
      },
    });
    return this.track(source, (entry) => ({
      key: {
        key: options.keyOf(SessionKeySchema.keyOf(entry.key)),
        window: { startMs: SessionKeySchema.startOf(entry.key), endMs: SessionKeySchema.endOf(entry.key) },
      },
      value: this.#options.valueSerde.deserialize(this.serdeTopic, entry.value),
    }));
  }

  #key(key: K): Uint8Array {
    const bytes = this.#options.keySerde.serialize(this.serdeTopic, key);
    if (bytes === null) {
      throw new SerializationError(`State store "${this.name}": the key serializer returned null for a key. Store keys must not be null.`);
    }
    return bytes;
  }
}
