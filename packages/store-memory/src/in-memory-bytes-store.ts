import {
  InvalidStateStoreError,
  StreamsError,
  type BytesEntry,
  type BytesIterator,
  type BytesRangeOptions,
  type KeyValueBytesStore,
} from '@kstreams/core';
import { compareBytes, prefixUpperBound, startsWithBytes } from './compare-bytes.js';
import { SortedBytesMap } from './internal/sorted-bytes-map.js';
import { SnapshotIterator, below, first, floor, last, lowerBound, type SnapshotIteratorOptions } from './internal/snapshot-iterator.js';

/**
 * An ordered in-memory bytes store (keys in unsigned byte order). Not persistent: its data
 * is gone after `close()`, as with Kafka Streams' in-memory stores.
 *
 * - Keys and values are copied on write, so callers may reuse their buffers. Returned arrays
 *   are the stored ones: treat them as read-only.
 * - Iterators see a snapshot taken when they were created: writes during iteration neither
 *   break them nor show up in them. An iterator left open when the store closes throws.
 *
 * @example
 * const store = inMemoryBackend().openStore(location);
 * store.put(Uint8Array.of(1), Uint8Array.of(42));
 * for (const { key, value } of store.range({ from: Uint8Array.of(0) })) { ... }
 */
export class InMemoryBytesStore implements KeyValueBytesStore {
  readonly persistent = false;
  private readonly map = new SortedBytesMap();
  private open = true;

  constructor(readonly name: string) {}

  get isOpen(): boolean {
    return this.open;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.assertOpen();
    return this.map.get(key);
  }

  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    this.assertOpen();
    return keys.map((key) => this.map.get(key));
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.assertOpen();
    this.assertValue(key, value);
    this.map.set(copy(key), copy(value));
  }

  putAll(entries: readonly BytesEntry[]): void {
    this.assertOpen();
    // Check every entry first so a bad entry leaves the store untouched (batch semantics).
    for (const entry of entries) if (entry.value !== null) this.assertValue(entry.key, entry.value);
    for (const { key, value } of entries) {
      if (value === null) this.map.delete(key);
      else this.map.set(copy(key), copy(value));
    }
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    this.assertOpen();
    return this.map.delete(key);
  }

  deleteAll(keys: readonly Uint8Array[]): void {
    this.assertOpen();
    for (const key of keys) this.map.delete(key);
  }

  range(options: BytesRangeOptions = {}): BytesIterator {
    this.assertOpen();
    const { from, to } = options;
    const reverse = options.reverse ?? false;
    const snapshot = this.map.snapshot();
    const start = reverse
      ? to === undefined ? last(snapshot.chunks) : floor(snapshot.chunks, to)
      : from === undefined ? first() : lowerBound(snapshot.chunks, from);
    const bound = reverse ? from : to;
    const inBounds =
      bound === undefined
        ? () => true
        : reverse
          ? (key: Uint8Array) => compareBytes(key, bound) >= 0
          : (key: Uint8Array) => compareBytes(key, bound) <= 0;
    return this.iterator(snapshot, { start, reverse, inBounds });
  }

  prefixScan(prefix: Uint8Array, options: { reverse?: boolean } = {}): BytesIterator {
    this.assertOpen();
    const reverse = options.reverse ?? false;
    const snapshot = this.map.snapshot();
    let start = lowerBound(snapshot.chunks, prefix);
    if (reverse) {
      // Start just below the first key past the prefix range (the end when none exists).
      const upper = prefixUpperBound(prefix);
      start = upper === undefined ? last(snapshot.chunks) : below(snapshot.chunks, upper);
    }
    const inBounds = (key: Uint8Array) => startsWithBytes(key, prefix);
    return this.iterator(snapshot, { start, reverse, inBounds });
  }

  approximateNumEntries(): number {
    this.assertOpen();
    return this.map.size;
  }

  flush(): void {
    // Nothing to make durable: the store lives in memory only.
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.map.clear();
  }

  destroy(): void {
    this.close();
  }

  private iterator(snapshot: ReturnType<SortedBytesMap['snapshot']>, options: Omit<SnapshotIteratorOptions, 'assertOpen'>): BytesIterator {
    return new SnapshotIterator(this.map, snapshot, { ...options, assertOpen: () => this.assertOpen() });
  }

  private assertOpen(): void {
    if (!this.open) {
      throw new InvalidStateStoreError(
        `State store "${this.name}" (in-memory) is closed: it was closed or destroyed. Open it again with the backend's openStore() before using it.`,
      );
    }
  }

  private assertValue(key: Uint8Array, value: Uint8Array): void {
    if (!(key instanceof Uint8Array) || !(value instanceof Uint8Array)) {
      throw new StreamsError(
        `State store "${this.name}" (in-memory) got a key or value that is not a Uint8Array. Serialize keys and values to bytes; use delete() or a null value in putAll() to remove a key.`,
      );
    }
  }
}

/** A private copy: `new Uint8Array(bytes)` copies even when `bytes` is a Buffer view. */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
