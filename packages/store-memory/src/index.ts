/**
 * @kstreams/store-memory: the ordered in-memory state store backend for kstreams.
 */
export { inMemoryBackend } from './in-memory-backend.js';
export { InMemoryBytesStore } from './in-memory-bytes-store.js';
export { compareBytes, prefixUpperBound, startsWithBytes } from './compare-bytes.js';
