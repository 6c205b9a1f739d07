import { SerializationError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import { equalBytes, maxBytes, concatBytes, longBytes } from './internals/bytes.js';
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

  findSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#find(key, earliestSessionEndMs, latestSessionStartMs, false);
  }
  backwardFindSessions(key: K, earliestSessionEndMs: number, latestSessionStartMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#find(key, earliestSessionEndMs, latestSessionStartMs, true);
  }
  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.#find(key, 0, Number.MAX_SAFE_INTEGER, false);
  }
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.#find(key, 0, Number.MAX_SAFE_INTEGER, true);
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
    const source = segmentedScan({
      layers: this.layers,
      tracker: this.#tracker,
      fromMs,
      // A session may end at any time after it starts, so search up to the newest segment.
      toMs: this.#tracker.observedStreamTimeMs,
      reverse,
      lowerKey: concatBytes(keyBytes, longBytes(fromMs)),
      upperKey: concatBytes(keyBytes, maxBytes(SessionKeySchema.suffixLength)),
      keep: (composite) => {
        const endMs = SessionKeySchema.endOf(composite);
        return (
          equalBytes(SessionKeySchema.keyOf(composite), keyBytes) &&
          endMs >= fromMs &&
          SessionKeySchema.startOf(composite) <= latestSessionStartMs &&
          !this.#tracker.isExpired(endMs)
        );
      },
    });
    return this.track(source, (entry) => ({
      key: {
        key,
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
