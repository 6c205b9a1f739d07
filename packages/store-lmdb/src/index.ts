/**
 * @kstreams/store-lmdb: the persistent LMDB (lmdb-js) state store backend for kstreams.
 */
export { lmdbBackend, storeDirectory, type LmdbBackendOptions } from './lmdb-backend.js';
export { LmdbBytesStore, MAX_KEY_BYTES, type PendingWriteLimits } from './lmdb-bytes-store.js';
export { StoreLockError } from './store-lock-error.js';
