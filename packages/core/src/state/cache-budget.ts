import { ConfigError } from '../errors/streams-error.js';
import type { CacheBudget } from './state-store.js';

/**
 * Creates the record-cache budget shared by all caching stores of an instance
 * (`statestore.cache.max.bytes`). A budget of 0 keeps caching stores writing straight through
 * (every write is evicted at once).
 *
 * @example
 * const budget = createCacheBudget(10 * 1024 * 1024);
 */
export function createCacheBudget(maxBytes: number): CacheBudget {
  if (!Number.isFinite(maxBytes) || maxBytes < 0) {
    throw new ConfigError(`statestore.cache.max.bytes must be a number >= 0, got ${maxBytes}. Use 0 to disable caching.`);
  }
  let used = 0;
  return {
    maxBytes,
    usedBytes: () => used,
    adjust(delta: number) {
      used = Math.max(0, used + delta);
    },
  };
}
