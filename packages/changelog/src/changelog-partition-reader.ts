/** One partition of a changelog topic. */
export interface ChangelogPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A committed changelog record, as logged (a `null` value is a tombstone). */
export interface ChangelogRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/** What one {@link ChangelogPartitionReader.read} returns. */
export interface ChangelogReadResult {
  /** Committed data records in offset order: never aborted data, never control records. */
  readonly records: readonly ChangelogRecord[];
  /**
   * The next offset to read. It may be past the last record returned: offsets of control
   * records, aborted records and compacted-away records are skipped too.
   */
  readonly nextOffset: number;
  /**
   * True when `fromOffset` is before the log start or past the log end (records deleted, topic
   * re-created): nothing was read and the store must be wiped and restored from the log start.
   */
  readonly outOfRange?: boolean;
}

/** Options of {@link ChangelogPartitionReader.read}. */
export interface ChangelogReadOptions {
  /** The first offset to read. */
  readonly fromOffset: number;
  /** Exclusive upper bound: records at or past it are not returned. Omit to tail the log. */
  readonly untilOffset?: number;
  /** A hint for the batch size; a reader may return fewer or somewhat more records. */
  readonly maxRecords?: number;
  /** How long to wait for data when none is available yet (tailing); 0 returns at once. */
  readonly maxWaitMs?: number;
}

/**
 * The port the restore code reads changelogs through: a group-less, read_committed reader of
 * single topic-partitions. `@kstreams/runtime` implements it on kafkajs; tests use
 * {@link InMemoryChangelog}. It never joins a consumer group, so reading changelogs never
 * triggers a rebalance.
 */
export interface ChangelogPartitionReader {
  /**
   * Reads committed records from `fromOffset`; resolves with `outOfRange: true` when the log no
   * longer holds `fromOffset`. Results never go past `untilOffset`. (A result rather than an
   * error, so that implementations in other packages need no shared error class.)
   */
  read(partition: ChangelogPartition, options: ChangelogReadOptions): Promise<ChangelogReadResult>;
  /**
   * The end offsets (high watermarks): the offset a restore must reach. Reading read_committed
   * up to the high watermark waits for a transaction still open in the changelog, so a restore
   * never stops before writes whose commit markers have not landed yet (exactly-once).
   */
  endOffsets(partitions: readonly ChangelogPartition[]): Promise<Map<string, number>>;
  /** The log start offsets (the first offset still in the log after retention or deletion). */
  beginningOffsets(partitions: readonly ChangelogPartition[]): Promise<Map<string, number>>;
}

/** A stable map key of a changelog partition: `<topic>-<partition>`, as Kafka prints it. */
export function changelogPartitionKey(partition: ChangelogPartition): string {
  return `${partition.topic}-${partition.partition}`;
}
