import { InvalidStateStoreError, SerializationError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import type { StoreBackend } from './bytes-store.js';
import { BackendBytesLayer } from './internals/backend-bytes-layer.js';
import { StoreMetrics } from './internals/store-metrics.js';
import { VersionedKeySchema } from './internals/versioned-key-schema.js';
import type { ChangelogWriter, StateStoreContext, VersionedKeyValueStore, VersionedRecord } from './state-store.js';

/** Returned by `put` when the version is the latest (Java's `PUT_RETURN_CODE_VALID_TO_UNDEFINED`). */
export const VALID_TO_UNDEFINED = -1;
/** Returned by `put` when the version is older than the history retention and was not written. */
export const PUT_RETURN_CODE_NOT_PUT = Number.MIN_SAFE_INTEGER;

/** Options of a {@link MeteredVersionedKeyValueStore}. */
export interface MeteredVersionedKeyValueStoreOptions<K, V> {
  readonly name: string;
  readonly backend: StoreBackend;
  readonly historyRetentionMs: number;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  readonly logging: boolean;
}

interface StoredVersion {
  readonly validFromMs: number;
  readonly value: Uint8Array | null;
  readonly validToMs: number | undefined;
}

/**
 * A versioned key-value store (Kafka Streams' `VersionedKeyValueStore`, KIP-889) on any bytes
 * backend: every put is a version valid from its timestamp until the next version's. Versions
 * superseded before `observed stream time - historyRetentionMs` are removed when their key is
 * written; reads as of a time older than that return nothing, and puts older than that are
 * refused (`PUT_RETURN_CODE_NOT_PUT`). Changelog records carry the version's timestamp in the
 * value (8 bytes, then a tombstone flag and the value), so a restore rebuilds the history.
 */
export class MeteredVersionedKeyValueStore<K, V> implements VersionedKeyValueStore<K, V> {
  readonly name: string;
  readonly historyRetentionMs: number;
  readonly #options: MeteredVersionedKeyValueStoreOptions<K, V>;
  readonly #bytes: BackendBytesLayer;
  readonly #metrics: StoreMetrics;
  #writer: ChangelogWriter | undefined;
  #observedStreamTimeMs = Number.MIN_SAFE_INTEGER;
  #open = false;
  #serdeTopic = '';

  constructor(options: MeteredVersionedKeyValueStoreOptions<K, V>) {
    this.#options = options;
    this.name = options.name;
    this.historyRetentionMs = options.historyRetentionMs;
    this.#bytes = new BackendBytesLayer(options.name, options.backend);
    this.#metrics = new StoreMetrics(options.name, `${options.backend.kind}-versioned-state`);
  }

  get persistent(): boolean {
    return this.#bytes.persistent;
  }

  isOpen(): boolean {
    return this.#open;
  }

  init(context: StateStoreContext): void {
    if (this.#open) throw new InvalidStateStoreError(`State store "${this.name}" is already initialised. Build a new store per task.`);
    this.#serdeTopic = `${context.applicationId()}-${this.name}-changelog`;
    this.#metrics.init(context.taskId());
    this.#bytes.init(context);
    this.#writer = this.#options.logging ? context.changelogWriter(this.name) : undefined;
    context.register(this, (records) => {
      for (const record of records) {
        if (record.value === null) continue;
        const { validFromMs, value } = VersionedKeySchema.fromChangelogValue(record.value);
        this.#putBytes(record.key, value, validFromMs);
      }
    });
    this.#open = true;
  }

  put(key: K, value: V | null, timestampMs: number): number {
    this.#ensureOpen();
    return this.#metrics.time('put', () => {
      const keyBytes = this.#key(key);
      const valueBytes = value === null ? null : this.#options.valueSerde.serialize(this.#serdeTopic, value);
      const validTo = this.#putBytes(keyBytes, valueBytes, timestampMs);
      if (validTo !== PUT_RETURN_CODE_NOT_PUT) this.#writer?.log(keyBytes, VersionedKeySchema.changelogValue(timestampMs, valueBytes), timestampMs);
      return validTo;
    });
  }

  delete(key: K, timestampMs: number): VersionedRecord<V> | undefined {
    const previous = this.get(key, timestampMs);
    this.put(key, null, timestampMs);
    return previous;
  }

  get(key: K, asOfTimestampMs?: number): VersionedRecord<V> | undefined {
    this.#ensureOpen();
    return this.#metrics.time('get', () => {
      if (asOfTimestampMs !== undefined && asOfTimestampMs < this.#earliestReadableMs()) return undefined;
      const version = this.#versionAt(this.#key(key), asOfTimestampMs ?? Number.MAX_SAFE_INTEGER);
      if (version === undefined || version.value === null) return undefined;
      return { value: this.#options.valueSerde.deserialize(this.#serdeTopic, version.value), timestamp: version.validFromMs, validToMs: version.validToMs };
    });
  }

  flush(): void | Promise<void> {
    this.#ensureOpen();
    return this.#bytes.flush();
  }

  close(): void | Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    return this.#bytes.close();
  }

  /** Writes one version; returns its valid-to time (see {@link VersionedKeyValueStore.put}). */
  #putBytes(keyBytes: Uint8Array, valueBytes: Uint8Array | null, timestampMs: number): number {
    this.#observedStreamTimeMs = Math.max(this.#observedStreamTimeMs, timestampMs);
    if (timestampMs < this.#earliestReadableMs()) return PUT_RETURN_CODE_NOT_PUT;
    this.#bytes.write(VersionedKeySchema.versionKey(keyBytes, timestampMs), VersionedKeySchema.encodeValue(valueBytes));
    const next = this.#firstVersionAfter(keyBytes, timestampMs);
    this.#dropExpiredVersions(keyBytes);
    return next ?? VALID_TO_UNDEFINED;
  }

  /** The version with the greatest valid-from at or before `asOfMs`, and when it stops being valid. */
  #versionAt(keyBytes: Uint8Array, asOfMs: number): StoredVersion | undefined {
    using older = this.#bytes.range({ from: VersionedKeySchema.versionKey(keyBytes, 0), to: VersionedKeySchema.versionKey(keyBytes, asOfMs), reverse: true });
    const found = older.next();
    if (found.done === true) return undefined;
    const validFromMs = VersionedKeySchema.validFromOf(found.value.key);
    return { validFromMs, value: VersionedKeySchema.decodeValue(found.value.value), validToMs: this.#firstVersionAfter(keyBytes, validFromMs) };
  }

  #firstVersionAfter(keyBytes: Uint8Array, timestampMs: number): number | undefined {
    using newer = this.#bytes.range({ from: VersionedKeySchema.versionKey(keyBytes, timestampMs + 1), to: VersionedKeySchema.versionKey(keyBytes, Number.MAX_SAFE_INTEGER) });
    const found = newer.next();
    return found.done === true ? undefined : VersionedKeySchema.validFromOf(found.value.key);
  }

  /** Removes versions of the key that stopped being valid before the history retention. */
  #dropExpiredVersions(keyBytes: Uint8Array): void {
    const earliestMs = this.#earliestReadableMs();
    const expired: Uint8Array[] = [];
    let previous: Uint8Array | undefined;
    using versions = this.#bytes.prefixScan(VersionedKeySchema.prefix(keyBytes));
    for (const { key } of versions) {
      if (previous !== undefined && VersionedKeySchema.validFromOf(key) <= earliestMs) expired.push(previous);
      if (VersionedKeySchema.validFromOf(key) > earliestMs) break;
      previous = key;
    }
    for (const key of expired) this.#bytes.write(key, null);
  }

  #earliestReadableMs(): number {
    return this.#observedStreamTimeMs === Number.MIN_SAFE_INTEGER ? Number.MIN_SAFE_INTEGER : this.#observedStreamTimeMs - this.historyRetentionMs;
  }

  #key(key: K): Uint8Array {
    const bytes = this.#options.keySerde.serialize(this.#serdeTopic, key);
    if (bytes === null) throw new SerializationError(`State store "${this.name}": the key serializer returned null for a key. Store keys must not be null.`);
    return bytes;
  }

  #ensureOpen(): void {
    if (!this.#open) {
      throw new InvalidStateStoreError(`State store "${this.name}" is not open: it was never initialised or is closed. Use the store only between init() and close() of its task.`);
    }
  }
}
