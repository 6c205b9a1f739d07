import { SerializationError } from '../errors/streams-error.js';
import type { Serde, Serializer } from '../serde/serde.js';
import type { BytesFlushListener, BytesLayer } from './internals/bytes-layer.js';
import { MeteredStore } from './internals/metered-store.js';
import type { KeyValue, KeyValueIterator, KeyValueStore } from './state-store.js';

/** Receives the de-duplicated updates a caching store writes down on commit or eviction. */
export type CacheFlushListener<K, V> = (key: K, newValue: V | undefined, oldValue: V | undefined, timestampMs: number) => void;

/** Options of a {@link MeteredKeyValueStore}. */
export interface MeteredKeyValueStoreOptions<K, V> {
  readonly name: string;
  readonly layers: BytesLayer;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  /** `store.type` of the metrics, e.g. `in-memory-state`. */
  readonly storeType: string;
}

/**
 * The typed key-value store handed to processors: serializes keys and values, times every
 * operation, and writes through the optional caching and change-logging layers to the bytes
 * store. Ranges follow the byte order of serialized keys.
 */
export class MeteredKeyValueStore<K, V> extends MeteredStore implements KeyValueStore<K, V> {
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  #lastKey: K | undefined;
  #lastKeyBytes: Uint8Array | undefined;

  constructor(options: MeteredKeyValueStoreOptions<K, V>) {
    super(options.name, options.layers, options.storeType);
    this.#keySerde = options.keySerde;
    this.#valueSerde = options.valueSerde;
  }

  get(key: K): V | undefined {
    this.ensureOpen();
    if (this.metrics.untimed('get')) return this.#value(this.layers.get(this.#key(key)));
    return this.metrics.time('get', () => this.#value(this.layers.get(this.#key(key))));
  }

  getMany(keys: readonly K[]): (V | undefined)[] {
    this.ensureOpen();
    return this.metrics.time('get', () => this.layers.getMany(keys.map((key) => this.#key(key))).map((bytes) => this.#value(bytes)));
  }

  put(key: K, value: V | null | undefined): void {
    this.ensureOpen();
    if (this.metrics.untimed('put')) return this.layers.write(this.#key(key), this.#valueBytes(value), this.writeTimestamp());
    this.metrics.time('put', () => this.layers.write(this.#key(key), this.#valueBytes(value), this.writeTimestamp()));
  }

  putIfAbsent(key: K, value: V): V | undefined {
    this.ensureOpen();
    return this.metrics.time('put-if-absent', () => {
      const keyBytes = this.#key(key);
      const existing = this.layers.get(keyBytes);
      if (existing === undefined) this.layers.write(keyBytes, this.#valueBytes(value), this.writeTimestamp());
      return this.#value(existing);
    });
  }

  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    this.ensureOpen();
    this.metrics.time('put-all', () => {
      const bytes = entries.map((entry) => ({ key: this.#key(entry.key), value: this.#valueBytes(entry.value) }));
      this.layers.writeAll(bytes, this.writeTimestamp());
    });
  }

  delete(key: K): V | undefined {
    this.ensureOpen();
    return this.metrics.time('delete', () => {
      const keyBytes = this.#key(key);
      const existing = this.layers.get(keyBytes);
      this.layers.write(keyBytes, null, this.writeTimestamp());
      return this.#value(existing);
    });
  }

  deleteAll(keys: readonly K[]): void {
    this.ensureOpen();
    this.metrics.time('delete', () => {
      this.layers.writeAll(keys.map((key) => ({ key: this.#key(key), value: null })), this.writeTimestamp());
    });
  }

  range(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.#range('range', from, to, false);
  }

  reverseRange(from: K | undefined, to: K | undefined): KeyValueIterator<K, V> {
    return this.#range('range', from, to, true);
  }

  all(): KeyValueIterator<K, V> {
    return this.#range('all', undefined, undefined, false);
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.#range('all', undefined, undefined, true);
  }

  prefixScan<P>(prefix: P, prefixSerializer: Serializer<P>): KeyValueIterator<K, V> {
    this.ensureOpen();
    const prefixBytes = prefixSerializer.serialize(this.serdeTopic, prefix);
    if (prefixBytes === null) {
      throw new SerializationError(`State store "${this.name}": the prefix serializer returned null. Pass a non-null prefix.`);
    }
    return this.metrics.time('prefix-scan', () => this.#decoded(this.layers.prefixScan(prefixBytes)));
  }

  approximateNumEntries(): number {
    this.ensureOpen();
    return this.layers.approximateNumEntries();
  }

  /**
   * Forwards each de-duplicated update the cache writes down to `listener` (as Kafka Streams'
   * `TimestampedCacheFlushListener`). Returns false when the store has no caching layer.
   */
  setFlushListener(listener: CacheFlushListener<K, V> | undefined): boolean {
    const bytesListener: BytesFlushListener | undefined =
      listener === undefined
        ? undefined
        : (key, newValue, oldValue, timestampMs) =>
            listener(this.#keySerde.deserialize(this.serdeTopic, key), this.#value(newValue ?? undefined), this.#value(oldValue ?? undefined), timestampMs);
    return this.layers.setFlushListener(bytesListener);
  }

  #range(operation: 'range' | 'all', from: K | undefined, to: K | undefined, reverse: boolean): KeyValueIterator<K, V> {
    this.ensureOpen();
    return this.metrics.time(operation, () => {
      const options: { from?: Uint8Array; to?: Uint8Array; reverse: boolean } = { reverse };
      if (from !== undefined) options.from = this.#key(from);
      if (to !== undefined) options.to = this.#key(to);
      return this.#decoded(this.layers.range(options));
    });
  }

  #decoded(source: Parameters<MeteredStore['track']>[0]): KeyValueIterator<K, V> {
    return this.track(source, (entry) => ({
      key: this.#keySerde.deserialize(this.serdeTopic, entry.key),
      value: this.#valueSerde.deserialize(this.serdeTopic, entry.value),
    }));
  }

  #key(key: K): Uint8Array {
    // A processor reads a key and then writes it (count, aggregate): a primitive key equal to the
    // last one reuses its bytes instead of serializing it again (the layers never modify key bytes).
    if (key === this.#lastKey && this.#lastKeyBytes !== undefined && isPrimitive(key)) return this.#lastKeyBytes;
    const bytes = this.#keySerde.serialize(this.serdeTopic, key);
    if (bytes === null) {
      throw new SerializationError(`State store "${this.name}": the key serializer returned null for a key. Store keys must not be null.`);
    }
    this.#lastKey = key;
    this.#lastKeyBytes = bytes;
    return bytes;
  }

  #valueBytes(value: V | null | undefined): Uint8Array | null {
    if (value === null || value === undefined) return null;
    return this.#valueSerde.serialize(this.serdeTopic, value);
  }

  #value(bytes: Uint8Array | undefined): V | undefined {
    return bytes === undefined ? undefined : this.#valueSerde.deserialize(this.serdeTopic, bytes);
  }
}

/** Strings, numbers and bigints: equal values serialize to equal bytes, and cannot change. */
function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint';
}
