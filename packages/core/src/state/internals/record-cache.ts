import type { CacheBudget } from '../state-store.js';
import { bytesToOrderedString } from './bytes.js';
import { SortedKeyIndex } from './sorted-key-index.js';

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
 * An entry as the cache holds it. It is updated in place by later puts (so a hot key does not
 * leave an old-generation object behind per write) until it is handed out in a snapshot
 * (`range`, `prefixRange`, `takeDirty`): a pinned entry is never modified again, it is replaced.
 */
interface MutableEntry {
  key: Uint8Array;
  value: Uint8Array | null;
  dirty: boolean;
  timestampMs: number;
  sizeBytes: number;
  pinned: boolean;
}

/** A slot of the least-recently-used list. */
interface LruNode {
  readonly cacheKey: string;
  entry: MutableEntry;
  older: LruNode | undefined;
  newer: LruNode | undefined;
}

/**
 * The cache of one store: entries in a doubly linked least-recently-used list, a chunked key
 * index in byte order for range scans, and the set of dirty keys; every byte is accounted in
 * the shared budget. Get, put, remove and eviction cost O(1) plus O(log n) in the key index;
 * the dirty keys are kept in the order of their last write.
 */
export class RecordCache {
  readonly #nodes = new Map<string, LruNode>();
  readonly #keys = new SortedKeyIndex();
  readonly #dirtyKeys = new Set<string>();
  #eldest: LruNode | undefined;
  #newest: LruNode | undefined;
  #sizeBytes = 0;
  #lastKeyBytes: Uint8Array | undefined;
  #lastCacheKey = '';

  constructor(private readonly budget: CacheBudget) {}

  get size(): number {
    return this.#nodes.size;
  }
  get sizeBytes(): number {
    return this.#sizeBytes;
  }
  get dirtyCount(): number {
    return this.#dirtyKeys.size;
  }

  /** The entry for `key`, marking it most recently used. */
  get(key: Uint8Array): CacheEntry | undefined {
    const node = this.#nodes.get(this.#cacheKey(key));
    if (node === undefined) return undefined;
    this.#unlink(node);
    this.#linkNewest(node);
    return node.entry;
  }

  put(key: Uint8Array, value: Uint8Array | null, options: { dirty: boolean; timestampMs: number }): void {
    const cacheKey = this.#cacheKey(key);
    let node = this.#nodes.get(cacheKey);
    // A clean read must not hide a pending write of the same key.
    const dirty = options.dirty || (node?.entry.dirty ?? false);
    const sizeBytes = key.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
    if (node === undefined) {
      node = { cacheKey, entry: { key, value, dirty, timestampMs: options.timestampMs, sizeBytes, pinned: false }, older: undefined, newer: undefined };
      this.#nodes.set(cacheKey, node);
      this.#keys.insert(cacheKey);
      this.#account(sizeBytes);
    } else {
      this.#account(sizeBytes - node.entry.sizeBytes);
      const entry = node.entry;
      if (entry.pinned) {
        node.entry = { key, value, dirty, timestampMs: options.timestampMs, sizeBytes, pinned: false };
      } else {
        entry.key = key;
        entry.value = value;
        entry.dirty = dirty;
        entry.timestampMs = options.timestampMs;
        entry.sizeBytes = sizeBytes;
      }
      this.#unlink(node);
    }
    this.#linkNewest(node);
    if (options.dirty) {
      // As Kafka Streams' NamedCache: a write moves the key to the end, so a flush writes keys
      // down in the order of their last write.
      this.#dirtyKeys.delete(cacheKey);
      this.#dirtyKeys.add(cacheKey);
    }
  }

  /** Removes `key` from the cache (its bytes go back to the budget). */
  remove(key: Uint8Array): void {
    const node = this.#nodes.get(this.#cacheKey(key));
    if (node !== undefined) this.#forget(node);
  }

  /** The least recently used entry. */
  eldest(): CacheEntry | undefined {
    return this.#eldest?.entry;
  }

  /** Removes the least recently used entry (its bytes go back to the budget). */
  removeEldest(): void {
    if (this.#eldest !== undefined) this.#forget(this.#eldest);
  }

  /** Dirty entries in the order of their last write; they are marked clean (deletes leave the cache). */
  takeDirty(): CacheEntry[] {
    const keys = [...this.#dirtyKeys];
    this.#dirtyKeys.clear();
    const dirty: CacheEntry[] = [];
    for (const cacheKey of keys) {
      const node = this.#nodes.get(cacheKey);
      if (node === undefined) continue;
      const entry = node.entry;
      entry.pinned = true;
      dirty.push(entry);
      if (entry.value === null) this.#forget(node);
      else node.entry = { ...entry, dirty: false, pinned: false };
    }
    return dirty;
  }

  /** Entries with `from <= key <= to` in key order (or reversed), as of now. */
  range(from: Uint8Array | undefined, to: Uint8Array | undefined, reverse: boolean): CacheEntry[] {
    const fromKey = from === undefined ? undefined : bytesToOrderedString(from);
    const toKey = to === undefined ? undefined : bytesToOrderedString(to);
    if (fromKey !== undefined && toKey !== undefined && fromKey > toKey) return [];
    return this.#entriesOf(this.#keys.keysBetween(fromKey, toKey), reverse);
  }

  /** Entries whose key starts with `prefix`, in key order (or reversed), as of now. */
  prefixRange(prefix: Uint8Array, reverse: boolean): CacheEntry[] {
    const prefixKey = bytesToOrderedString(prefix);
    return this.#entriesOf(this.#keys.keysBetween(prefixKey, prefixUpperBound(prefixKey), true), reverse);
  }

  /** Empties the cache and gives its bytes back to the budget. */
  clear(): void {
    this.#account(-this.#sizeBytes);
    this.#nodes.clear();
    this.#keys.clear();
    this.#dirtyKeys.clear();
    this.#eldest = undefined;
    this.#newest = undefined;
  }

  #entriesOf(keys: string[], reverse: boolean): CacheEntry[] {
    if (reverse) keys.reverse();
    return keys.map((cacheKey) => {
      const entry = (this.#nodes.get(cacheKey) as LruNode).entry;
      entry.pinned = true;
      return entry;
    });
  }

  /** The map key of `key`; the key just converted (a get followed by a put of it) is not converted again. */
  #cacheKey(key: Uint8Array): string {
    if (key === this.#lastKeyBytes) return this.#lastCacheKey;
    const cacheKey = bytesToOrderedString(key);
    this.#lastKeyBytes = key;
    this.#lastCacheKey = cacheKey;
    return cacheKey;
  }

  #forget(node: LruNode): void {
    this.#nodes.delete(node.cacheKey);
    this.#dirtyKeys.delete(node.cacheKey);
    this.#keys.remove(node.cacheKey);
    this.#unlink(node);
    this.#account(-node.entry.sizeBytes);
  }

  #unlink(node: LruNode): void {
    if (node.older === undefined) this.#eldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older;
    else node.newer.older = node.older;
    node.older = undefined;
    node.newer = undefined;
  }

  #linkNewest(node: LruNode): void {
    node.older = this.#newest;
    if (this.#newest === undefined) this.#eldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
  }

  #account(delta: number): void {
    this.#sizeBytes += delta;
    this.budget.adjust(delta);
  }
}

/**
 * The smallest key above every key starting with `prefix` (bytes as latin1 chars), or
 * `undefined` when the prefix is all `0xff` (no upper bound).
 */
function prefixUpperBound(prefix: string): string | undefined {
  for (let index = prefix.length - 1; index >= 0; index--) {
    const code = prefix.charCodeAt(index);
    if (code < 0xff) return prefix.slice(0, index) + String.fromCharCode(code + 1);
  }
  return undefined;
}
