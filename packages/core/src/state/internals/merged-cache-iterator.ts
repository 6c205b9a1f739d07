import type { BytesIterator } from '../bytes-store.js';
import { compareBytes } from './bytes.js';
import { bytesIteratorOf } from './bytes-iterators.js';
import type { CacheEntry } from './record-cache.js';

type BytesKeyValue = { key: Uint8Array; value: Uint8Array };

/**
 * Merges cached entries with the store's entries in byte order (or reversed): for a key in
 * both, the cache wins; a cached delete hides the store's entry.
 */
export function mergedCacheIterator(cached: readonly CacheEntry[], stored: BytesIterator, reverse: boolean): BytesIterator {
  const direction = reverse ? -1 : 1;
  function* run(): Generator<BytesKeyValue> {
    let cacheIndex = 0;
    let storeNext = stored.next();
    while (cacheIndex < cached.length || storeNext.done !== true) {
      const cacheEntry = cached[cacheIndex];
      if (storeNext.done === true || cacheEntry === undefined) {
        if (cacheEntry !== undefined) {
          cacheIndex += 1;
          if (cacheEntry.value !== null) yield { key: cacheEntry.key, value: cacheEntry.value };
          continue;
        }
        if (storeNext.done !== true) yield storeNext.value;
        storeNext = stored.next();
        continue;
      }
      const order = compareBytes(cacheEntry.key, storeNext.value.key) * direction;
      if (order > 0) {
        yield storeNext.value;
        storeNext = stored.next();
        continue;
      }
      if (order === 0) storeNext = stored.next();
      cacheIndex += 1;
      if (cacheEntry.value !== null) yield { key: cacheEntry.key, value: cacheEntry.value };
    }
  }
  return bytesIteratorOf(run(), () => stored.close());
}
