import { changelogPartitionKey, type ChangelogPartition, type ChangelogPartitionReader, type ChangelogReadOptions, type ChangelogReadResult, type ChangelogRecord } from '../changelog-partition-reader.js';

interface LogEntry extends ChangelogRecord {
  /** Control markers and aborted records take offsets but are never returned. */
  readonly visible: boolean;
}

interface PartitionLog {
  logStart: number;
  nextOffset: number;
  entries: LogEntry[];
}

/**
 * An in-memory {@link ChangelogPartitionReader} for tests: append records, committed or
 * aborted transactions, compact or truncate the log, and count the reads.
 */
export class InMemoryChangelog implements ChangelogPartitionReader {
  readonly #logs = new Map<string, PartitionLog>();
  /** Every `read` call, in order (to assert batching and resume positions). */
  readonly reads: { partition: ChangelogPartition; options: ChangelogReadOptions }[] = [];

  /** Appends a record; returns its offset. */
  append(partition: ChangelogPartition, key: Uint8Array | null, value: Uint8Array | null, timestamp = 0): number {
    return this.#push(partition, { key, value, timestamp, visible: true });
  }

  /** Appends a transaction's records and its commit or abort marker (one more offset). */
  appendTransaction(partition: ChangelogPartition, records: readonly { key: Uint8Array; value: Uint8Array | null }[], outcome: 'commit' | 'abort'): void {
    for (const { key, value } of records) this.#push(partition, { key, value, timestamp: 0, visible: outcome === 'commit' });
    this.#push(partition, { key: null, value: null, timestamp: 0, visible: false });
  }

  /** Keeps only the last record of each key, as log compaction does (offsets keep their gaps). */
  compact(partition: ChangelogPartition): void {
    const log = this.#log(partition);
    const lastOffsetOfKey = new Map<string, number>();
    for (const entry of log.entries) if (entry.visible && entry.key !== null) lastOffsetOfKey.set(Buffer.from(entry.key).toString('hex'), entry.offset);
    log.entries = log.entries.filter((entry) => entry.visible && entry.key !== null && lastOffsetOfKey.get(Buffer.from(entry.key).toString('hex')) === entry.offset);
  }

  /** Deletes records before `offset` (retention, `deleteRecords`). */
  truncateBefore(partition: ChangelogPartition, offset: number): void {
    const log = this.#log(partition);
    log.logStart = offset;
    log.entries = log.entries.filter((entry) => entry.offset >= offset);
  }

  read(partition: ChangelogPartition, options: ChangelogReadOptions): Promise<ChangelogReadResult> {
    this.reads.push({ partition, options });
    const log = this.#log(partition);
    if (options.fromOffset < log.logStart || options.fromOffset > log.nextOffset) {
      return Promise.resolve({ records: [], nextOffset: options.fromOffset, outOfRange: true });
    }
    const until = Math.min(options.untilOffset ?? log.nextOffset, log.nextOffset);
    const records: ChangelogRecord[] = [];
    let nextOffset = until;
    for (const entry of log.entries) {
      if (entry.offset < options.fromOffset || entry.offset >= until) continue;
      if (records.length >= (options.maxRecords ?? Number.POSITIVE_INFINITY)) {
        nextOffset = entry.offset;
        break;
      }
      if (entry.visible) records.push({ offset: entry.offset, key: entry.key, value: entry.value, timestamp: entry.timestamp });
    }
    return Promise.resolve({ records, nextOffset: Math.max(nextOffset, options.fromOffset) });
  }

  endOffsets(partitions: readonly ChangelogPartition[]): Promise<Map<string, number>> {
    return Promise.resolve(new Map(partitions.map((partition) => [changelogPartitionKey(partition), this.#log(partition).nextOffset])));
  }

  beginningOffsets(partitions: readonly ChangelogPartition[]): Promise<Map<string, number>> {
    return Promise.resolve(new Map(partitions.map((partition) => [changelogPartitionKey(partition), this.#log(partition).logStart])));
  }

  #push(partition: ChangelogPartition, entry: Omit<LogEntry, 'offset'>): number {
    const log = this.#log(partition);
    const offset = log.nextOffset++;
    log.entries.push({ ...entry, offset });
    return offset;
  }

  #log(partition: ChangelogPartition): PartitionLog {
    const key = changelogPartitionKey(partition);
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = { logStart: 0, nextOffset: 0, entries: [] };
      this.#logs.set(key, log);
    }
    return log;
  }
}
