import type { CacheBudget } from '../state-store.js';
import { bytesToOrderedString } from './bytes.js';

/** One cached entry: `value: null` is a cached delete. */
export interface CacheEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly dirty: boolean;
  readonly timestampMs: number;
  readonly sizeBytes: number;
}

/** Rough per-entry bookkeeping cost, so that many tiny entries still count against the budget. */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The cache of one store: entries in least-recently-used order, a key index in byte order for
 * range scans, and the set of dirty keys; every byte is accounted in the shared budget.
 */
export class RecordCache {
  /** Insertion order of a Map is the LRU order: touching re-inserts at the end. */
  readonly #entries = new Map<string, CacheEntry>();
  /** Keys as byte-ordered strings, sorted. */
  readonly #sortedKeys: string[] = [];
  readonly #dirtyKeys = new Set<string>();
  #sizeBytes = 0;

  constructor(private readonly budget: CacheBudget) {}

  get size(): number {
    return this.#entries.size;
  }
  get sizeBytes(): number {
    return this.#sizeBytes;
  }
  get dirtyCount(): number {
    return this.#dirtyKeys.size;
  }

  /** The entry for `key`, marking it most recently used. */
  get(key: Uint8Array): CacheEntry | undefined {
    const cacheKey = bytesToOrderedString(key);
    const entry = this.#entries.get(cacheKey);
    if (entry !== undefined) {
      this.#entries.delete(cacheKey);
      this.#entries.set(cacheKey, entry);
    }
    return entry;
  }

  put(key: Uint8Array, value: Uint8Array | null, options: { dirty: boolean; timestampMs: number }): void {
    const cacheKey = bytesToOrderedString(key);
    const previous = this.#entries.get(cacheKey);
    if (previous === undefined) this.#sortedKeys.splice(this.#lowerBound(cacheKey), 0, cacheKey);
    else this.#forget(cacheKey, previous, false);
    // A clean read must not hide a pending write of the same key.
    const dirty = options.dirty || (previous?.dirty ?? false);
    const sizeBytes = key.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
    this.#entries.set(cacheKey, { key, value, dirty, timestampMs: options.timestampMs, sizeBytes });
    if (dirty) this.#dirtyKeys.add(cacheKey);
    this.#account(sizeBytes);
  }

  /** Removes `key` from the cache (its bytes go back to the budget). */
  remove(key: Uint8Array): void {
    const cacheKey = bytesToOrderedString(key);
    const entry = this.#entries.get(cacheKey);
    if (entry !== undefined) this.#forget(cacheKey, entry, true);
  }

  /** The least recently used entry. */
  eldest(): CacheEntry | undefined {
    return this.#entries.values().next().value;
  }

  /** Dirty entries in key order; they are marked clean (deletes leave the cache). */
  takeDirty(): CacheEntry[] {
    const keys = [...this.#dirtyKeys].sort();
    this.#dirtyKeys.clear();
    const dirty: CacheEntry[] = [];
    for (const cacheKey of keys) {
      const entry = this.#entries.get(cacheKey);
      if (entry === undefined) continue;
      dirty.push(entry);
      if (entry.value === null) this.#forget(cacheKey, entry, true);
      else this.#entries.set(cacheKey, { ...entry, dirty: false });
    }
    return dirty;
  }

  /** Entries with `from <= key <= to` in key order (or reversed), as of now. */
  range(from: Uint8Array | undefined, to: Uint8Array | undefined, reverse: boolean): CacheEntry[] {
    const start = from === undefined ? 0 : this.#lowerBound(bytesToOrderedString(from));
    const end = to === undefined ? this.#sortedKeys.length : this.#upperBound(bytesToOrderedString(to));
    const keys = this.#sortedKeys.slice(start, Math.max(start, end));
    if (reverse) keys.reverse();
    return keys.map((cacheKey) => this.#entries.get(cacheKey) as CacheEntry);
  }

  /** Empties the cache and gives its bytes back to the budget. */
  clear(): void {
    this.#account(-this.#sizeBytes);
    this.#entries.clear();
    this.#sortedKeys.length = 0;
    this.#dirtyKeys.clear();
  }

  #forget(cacheKey: string, entry: CacheEntry, removeKey: boolean): void {
    this.#entries.delete(cacheKey);
    this.#dirtyKeys.delete(cacheKey);
    this.#account(-entry.sizeBytes);
    if (removeKey) this.#sortedKeys.splice(this.#lowerBound(cacheKey), 1);
  }

  #account(delta: number): void {
    this.#sizeBytes += delta;
    this.budget.adjust(delta);
  }

  /** First index whose key is >= `cacheKey`. */
  #lowerBound(cacheKey: string): number {
    let low = 0;
    let high = this.#sortedKeys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#sortedKeys[middle] as string) < cacheKey) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index whose key is > `cacheKey`. */
  #upperBound(cacheKey: string): number {
    let low = 0;
    let high = this.#sortedKeys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#sortedKeys[middle] as string) <= cacheKey) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
