import { StreamsError } from '@kstreams/core';

/**
 * A state store directory is in use by another process, or the same store is already open in
 * this one. Retriable: the other owner may release it (e.g. after a rebalance completes).
 */
export class StoreLockError extends StreamsError {}
