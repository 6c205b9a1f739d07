import type { BytesEntry, BytesIterator, BytesRangeOptions } from '../bytes-store.js';
import type { CacheBudget, StateStoreContext } from '../state-store.js';
import { WrappingBytesLayer, type BytesFlushListener, type RestoreRecord } from './bytes-layer.js';
import { mergedCacheIterator } from './merged-cache-iterator.js';
import { CacheHitRatio } from './cache-hit-ratio.js';
import { RecordCache } from './record-cache.js';

/**
 * A bounded write-back cache in front of a bytes layer (Kafka Streams' caching store). Writes
 * to one key between commits are de-duplicated; reads see the cache first; `flush()` writes
 * dirty entries down in key order and tells the flush listener; when the shared budget
 * (`statestore.cache.max.bytes`) is exceeded, least recently used entries are evicted, dirty
 * ones written down first. Without a budget in the context it behaves like a cache of size 0:
 * every write goes straight down and to the flush listener, as Kafka Streams does.
 */
export class CachingBytesLayer extends WrappingBytesLayer {
  #cache: RecordCache | undefined;
  #budget: CacheBudget | undefined;
  #listener: BytesFlushListener | undefined;
  #hitRatio: CacheHitRatio | undefined;

  override init(context: StateStoreContext): void {
    super.init(context);
    this.#budget = context.cacheBudget();
    this.#cache = this.#budget === undefined ? undefined : new RecordCache(this.#budget);
    this.#hitRatio = this.#cache === undefined ? undefined : CacheHitRatio.create(context, this.name);
  }

  /** The number of cached entries (for tests and metrics). */
  get cachedEntries(): number {
    return this.#cache?.size ?? 0;
  }

  override get(key: Uint8Array): Uint8Array | undefined {
    const cache = this.#cache;
    if (cache === undefined) return this.inner.get(key);
    const entry = cache.get(key);
    this.#hitRatio?.record(entry !== undefined);
    if (entry !== undefined) return entry.value ?? undefined;
    const value = this.inner.get(key);
    if (value !== undefined) {
      cache.put(key, value, { dirty: false, timestampMs: 0 });
      this.#evictIfNeeded();
    }
    return value;
  }

  override getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return keys.map((key) => this.get(key));
  }

  override write(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void {
    if (this.#cache === undefined) return this.#writeDown(key, value, timestampMs);
    this.#cache.put(key, value, { dirty: true, timestampMs });
    this.#evictIfNeeded();
  }

  override writeAll(entries: readonly BytesEntry[], timestampMs: number): void {
    for (const entry of entries) this.write(entry.key, entry.value, timestampMs);
  }

  override range(options: BytesRangeOptions = {}): BytesIterator {
    const stored = this.inner.range(options);
    if (this.#cache === undefined) return stored;
    const reverse = options.reverse === true;
    return mergedCacheIterator(this.#cache.range(options.from, options.to, reverse), stored, reverse);
  }

  override prefixScan(prefix: Uint8Array, options: { reverse?: boolean } = {}): BytesIterator {
    const stored = this.inner.prefixScan(prefix, options);
    if (this.#cache === undefined) return stored;
    const reverse = options.reverse === true;
    return mergedCacheIterator(this.#cache.prefixRange(prefix, reverse), stored, reverse);
  }

  override flush(): void | Promise<void> {
    this.#flushCache();
    return this.inner.flush();
  }

  override close(): void | Promise<void> {
    if (this.#cache !== undefined && this.inner.isOpen) this.#flushCache();
    this.#cache?.clear();
    return this.inner.close();
  }

  /** The first half of a commit: dirty entries go down (and to the changelog); the store below is not flushed. */
  override flushCache(): void {
    this.#flushCache();
    this.inner.flushCache();
  }

  /** A dirty close: cached writes are dropped, never written down or logged. */
  override discardCache(): void {
    this.#cache?.clear();
    this.inner.discardCache();
  }

  override restore(records: readonly RestoreRecord[]): void {
    for (const record of records) this.#cache?.remove(record.key);
    this.inner.restore(records);
  }

  override setFlushListener(listener: BytesFlushListener | undefined): boolean {
    this.#listener = listener;
    return true;
  }

  /** Writes every dirty entry down in key order and forwards it to the flush listener. */
  #flushCache(): void {
    const dirty = this.#cache?.takeDirty() ?? [];
    for (const entry of dirty) this.#writeDown(entry.key, entry.value, entry.timestampMs);
  }

  #writeDown(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void {
    const listener = this.#listener;
    const oldValue = listener === undefined ? null : (this.inner.get(key) ?? null);
    this.inner.write(key, value, timestampMs);
    listener?.(key, value, oldValue, timestampMs);
  }

  #evictIfNeeded(): void {
    const cache = this.#cache;
    const budget = this.#budget;
    if (cache === undefined || budget === undefined) return;
    while (budget.usedBytes() > budget.maxBytes && cache.size > 0) {
      // As in Kafka Streams, evicting a dirty entry flushes all dirty entries to keep order;
      // flushed deletes leave the cache, so the budget is checked again before evicting.
      if (cache.eldest()?.dirty === true) this.#flushCache();
      else cache.removeEldest();
    }
  }
}
