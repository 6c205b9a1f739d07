import type { ChangelogPartition } from './changelog-partition-reader.js';

/**
 * Hears about store restoration, as Kafka Streams' `StateRestoreListener` (plus
 * `onRestoreSuspended`). Called for each store that has something to restore; a listener must
 * be quick and must not throw (errors are caught and logged).
 */
export interface StateRestoreListener {
  /** Restoration of `storeName` begins at `startOffset` and must reach `endOffset` (exclusive). */
  onRestoreStart?(partition: ChangelogPartition, storeName: string, startOffset: number, endOffset: number): void;
  /** One batch was written to the store; `batchEndOffset` is the offset of its last record. */
  onBatchRestored?(partition: ChangelogPartition, storeName: string, batchEndOffset: number, numRestored: number): void;
  /** The store caught up with the end offset taken when restoration started. */
  onRestoreEnd?(partition: ChangelogPartition, storeName: string, totalRestored: number): void;
  /** Restoration stopped before the end (e.g. a rebalance); what was restored is kept. */
  onRestoreSuspended?(partition: ChangelogPartition, storeName: string, totalRestored: number): void;
}
