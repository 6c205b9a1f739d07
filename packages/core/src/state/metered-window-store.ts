import { SerializationError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import { compareBytes, equalBytes } from './internals/bytes.js';
import type { BytesLayer } from './internals/bytes-layer.js';
import { MeteredStore } from './internals/metered-store.js';
import type { RetentionTracker } from './internals/retention-tracker.js';
import { segmentedScan } from './internals/segmented-scan.js';
import { WindowKeySchema } from './internals/window-key-schema.js';
import type { KeyValueIterator, WindowStore, Windowed } from './state-store.js';

/** Options of a {@link MeteredWindowStore}. */
export interface MeteredWindowStoreOptions<K, V> {
  readonly name: string;
  readonly layers: BytesLayer;
  readonly tracker: RetentionTracker;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  readonly storeType: string;
}

/**
 * The typed window store: keys are `key + window start [+ sequence]` in time segments (see
 * `WindowKeySchema`). Writes older than observed stream time minus retention are dropped and
 * counted (`dropped-records`); reads never return expired windows.
 */
export class MeteredWindowStore<K, V> extends MeteredStore implements WindowStore<K, V> {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly #options: MeteredWindowStoreOptions<K, V>;
  readonly #schema: WindowKeySchema;
  readonly #tracker: RetentionTracker;
  #sequence = 0;

  constructor(options: MeteredWindowStoreOptions<K, V>) {
    super(options.name, options.layers, options.storeType);
    this.#options = options;
    this.#schema = new WindowKeySchema(options.retainDuplicates);
    this.#tracker = options.tracker;
    this.retentionMs = options.tracker.retentionMs;
    this.windowSizeMs = options.windowSizeMs;
    this.#tracker.onDropped = () => this.metrics.recordDropped();
  }

  /** Writes dropped so far because they were older than the retention. */
  get droppedRecords(): number {
    return this.#tracker.droppedRecords;
  }

  put(key: K, value: V | null, windowStartMs: number): void {
    this.ensureOpen();
    this.metrics.time('put', () => {
      // Kafka Streams ignores deletes when duplicates are kept: there is no single entry to delete.
      if (this.#options.retainDuplicates && value === null) return;
      this.#tracker.observe(windowStartMs);
      if (this.#tracker.isExpired(windowStartMs)) return this.#tracker.recordDropped();
      if (this.#options.retainDuplicates) this.#sequence = (this.#sequence + 1) & 0x7fffffff;
      const composite = this.#schema.toStoreKey(this.#key(key), windowStartMs, this.#sequence);
      const bytes = value === null ? null : this.#options.valueSerde.serialize(this.serdeTopic, value);
      this.layers.write(this.#tracker.segmentedKey(composite, windowStartMs), bytes, this.writeTimestamp());
    });
  }

  fetch(key: K, windowStartMs: number): V | undefined;
  fetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V>;
  fetch(key: K, timeFromMs: number, timeToMs?: number): V | undefined | KeyValueIterator<number, V> {
    if (timeToMs !== undefined) return this.#fetchKey(key, timeFromMs, timeToMs, false);
    this.ensureOpen();
    return this.metrics.time('fetch', () => {
      if (this.#tracker.isExpired(timeFromMs)) return undefined;
      if (this.#options.retainDuplicates) {
        using windows = this.#fetchKey(key, timeFromMs, timeFromMs, false);
        return windows.next().value?.value;
      }
      const composite = this.#schema.toStoreKey(this.#key(key), timeFromMs);
      const bytes = this.layers.get(this.#tracker.segmentedKey(composite, timeFromMs));
      return bytes === undefined ? undefined : this.#options.valueSerde.deserialize(this.serdeTopic, bytes);
    });
  }

  backwardFetch(key: K, timeFromMs: number, timeToMs: number): KeyValueIterator<number, V> {
    return this.#fetchKey(key, timeFromMs, timeToMs, true);
  }
  fetchRange(keyFrom: K | undefined, keyTo: K | undefined, timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#fetchRange(keyFrom, keyTo, timeFromMs, timeToMs, false);
  }
  backwardFetchRange(keyFrom: K | undefined, keyTo: K | undefined, timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#fetchRange(keyFrom, keyTo, timeFromMs, timeToMs, true);
  }
  fetchAll(timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#fetchRange(undefined, undefined, timeFromMs, timeToMs, false);
  }
  backwardFetchAll(timeFromMs: number, timeToMs: number): KeyValueIterator<Windowed<K>, V> {
    return this.#fetchRange(undefined, undefined, timeFromMs, timeToMs, true);
  }
  all(): KeyValueIterator<Windowed<K>, V> {
    return this.fetchAll(0, Number.MAX_SAFE_INTEGER);
  }
  backwardAll(): KeyValueIterator<Windowed<K>, V> {
    return this.backwardFetchAll(0, Number.MAX_SAFE_INTEGER);
  }

  #fetchKey(key: K, timeFromMs: number, timeToMs: number, reverse: boolean): KeyValueIterator<number, V> {
    this.ensureOpen();
    const keyBytes = this.#key(key);
    const [fromMs, toMs] = this.#liveSpan(timeFromMs, timeToMs);
    const source = segmentedScan({
      layers: this.layers,
      tracker: this.#tracker,
      fromMs,
      toMs,
      reverse,
      lowerKey: this.#schema.toStoreKey(keyBytes, fromMs),
      upperKey: this.#schema.upperStoreKey(keyBytes, toMs),
      keep: (composite) => equalBytes(this.#schema.keyOf(composite), keyBytes) && this.#inSpan(composite, fromMs, toMs),
    });
    return this.track(source, (entry) => ({
      key: this.#schema.windowStartOf(entry.key),
      value: this.#options.valueSerde.deserialize(this.serdeTopic, entry.value),
    }));
  }

  #fetchRange(keyFrom: K | undefined, keyTo: K | undefined, timeFromMs: number, timeToMs: number, reverse: boolean): KeyValueIterator<Windowed<K>, V> {
    this.ensureOpen();
    const fromBytes = keyFrom === undefined ? undefined : this.#key(keyFrom);
    const toBytes = keyTo === undefined ? undefined : this.#key(keyTo);
    const [fromMs, toMs] = this.#liveSpan(timeFromMs, timeToMs);
    const source = segmentedScan({
      layers: this.layers,
      tracker: this.#tracker,
      fromMs,
      toMs,
      reverse,
      lowerKey: fromBytes,
      upperKey: toBytes === undefined ? undefined : this.#schema.upperStoreKey(toBytes, Number.MAX_SAFE_INTEGER),
      keep: (composite) => {
        const keyBytes = this.#schema.keyOf(composite);
        if (fromBytes !== undefined && compareBytes(keyBytes, fromBytes) < 0) return false;
        if (toBytes !== undefined && compareBytes(keyBytes, toBytes) > 0) return false;
        return this.#inSpan(composite, fromMs, toMs);
      },
    });
    return this.track(source, (entry) => this.#windowed(entry));
  }

  #windowed(entry: { key: Uint8Array; value: Uint8Array }): { key: Windowed<K>; value: V } {
    const startMs = this.#schema.windowStartOf(entry.key);
    const key = this.#options.keySerde.deserialize(this.serdeTopic, this.#schema.keyOf(entry.key));
    return {
      key: { key, window: { startMs, endMs: startMs + this.windowSizeMs } },
      value: this.#options.valueSerde.deserialize(this.serdeTopic, entry.value),
    };
  }

  /** The part of `[from, to]` that may hold live data: after the retention, up to stream time. */
  #liveSpan(timeFromMs: number, timeToMs: number): [number, number] {
    const fromMs = Math.max(timeFromMs, this.#tracker.earliestLiveMs(), 0);
    return [fromMs, Math.min(timeToMs, this.#tracker.observedStreamTimeMs)];
  }

  #inSpan(composite: Uint8Array, fromMs: number, toMs: number): boolean {
    const startMs = this.#schema.windowStartOf(composite);
    return startMs >= fromMs && startMs <= toMs && !this.#tracker.isExpired(startMs);
  }

  #key(key: K): Uint8Array {
    const bytes = this.#options.keySerde.serialize(this.serdeTopic, key);
    if (bytes === null) {
      throw new SerializationError(`State store "${this.name}": the key serializer returned null for a key. Store keys must not be null.`);
    }
    return bytes;
  }
}
