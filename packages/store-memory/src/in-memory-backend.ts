import type { StoreBackend, StoreLocation } from '@kstreams/core';
import { InMemoryBytesStore } from './in-memory-bytes-store.js';

/**
 * The in-memory store backend: ordered bytes stores held in process memory (`kind`
 * `in-memory`, not persistent). Each `openStore` call returns a new, empty store; a store's
 * data is gone once it is closed, and a restarted task restores it from its changelog.
 *
 * @example
 * import { inMemoryBackend } from '@kstreams/store-memory';
 *
 * const backend = inMemoryBackend();
 * const store = backend.openStore({ name: 'counts', directory: undefined, applicationId: 'app', taskId: '0_0' });
 * store.put(new TextEncoder().encode('alice'), Uint8Array.of(1));
 */
export function inMemoryBackend(): StoreBackend {
  return {
    kind: 'in-memory',
    persistent: false,
    openStore(location: StoreLocation): InMemoryBytesStore {
      return new InMemoryBytesStore(location.name);
    },
  };
}
