import { TaskCorruptedError, type StreamsErrorOptions } from '@kstreams/core';
import type { ChangelogPartition } from './changelog-partition-reader.js';

/**
 * A changelog no longer holds the offset a restore wanted to read from (deleted records, a
 * re-created topic). The store must be wiped and restored from the beginning.
 */
export class ChangelogTruncatedError extends TaskCorruptedError {
  readonly partition: ChangelogPartition;
  readonly requestedOffset: number;

  constructor(partition: ChangelogPartition, requestedOffset: number, options: StreamsErrorOptions = {}) {
    super(
      `Changelog ${partition.topic}-${partition.partition} has no offset ${requestedOffset}: the log was truncated or re-created. ` +
        'Wipe the store and restore it from the beginning of the changelog.',
      options,
    );
    this.partition = partition;
    this.requestedOffset = requestedOffset;
  }
}
