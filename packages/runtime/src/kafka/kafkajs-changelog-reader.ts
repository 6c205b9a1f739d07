import type { ChangelogPartitionReader } from '@kstreams/changelog';
import { readRecordBatches, type ReadRecordFactory } from '@kstreams/kafka-protocol';
import type { Kafka } from 'kafkajs';
import type { Logger } from '../internal/engine-ports.js';
import { UnreadableFetchError } from './group/partition-fetcher.js';
import type { TopicPartition } from './kafka-client.js';
import { kafkajsCluster, type ClusterPartitionData, type KafkajsCluster } from './kafkajs-changelog-reader-cluster.js';

/** A committed changelog record; key and value are views into the fetched bytes (no copy). */
export interface CommittedRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/** Options of a changelog read (mirrors `ChangelogReadOptions` of `@kstreams/changelog`). */
export interface ChangelogFetchOptions {
  readonly fromOffset: number;
  readonly untilOffset?: number;
  readonly maxRecords?: number;
  readonly maxWaitMs?: number;
}

/** A read result (mirrors `ChangelogReadResult` of `@kstreams/changelog`). */
export interface ChangelogFetchResult {
  readonly records: readonly CommittedRecord[];
  readonly nextOffset: number;
  readonly outOfRange?: boolean;
}

/** Options of {@link KafkajsChangelogReader}. */
export interface KafkajsChangelogReaderOptions {
  /** Bytes fetched per partition and request (default 1 MiB, Java's max.partition.fetch.bytes; 8 MiB restored W5 with ~15 % less CPU but peaked 1 GB higher). */
  readonly maxBytesPerPartition?: number;
  readonly logger?: Logger;
}

/** A fetch's records not handed out yet: `records` from index `start` on. */
interface Leftover {
  readonly fromOffset: number;
  readonly records: readonly CommittedRecord[];
  readonly start: number;
  readonly nextOffset: number;
}

interface Prefetch {
  readonly fromOffset: number;
  readonly untilOffset: number | undefined;
  readonly result: Promise<ChangelogFetchResult>;
}

const RETRIES = 5;

/**
 * A group-less, read_committed changelog reader on kafkajs 2.2.4 (which has no `assign()`): it
 * owns a kafkajs `Cluster` and sends Fetch requests to partition leaders itself, filtering
 * aborted transactions and control records as a Java read_committed consumer does. It never
 * joins a group, so restores and standby tailing never cause rebalances. Implements
 * `ChangelogPartitionReader` of `@kstreams/changelog`.
 *
 * @example
 * const reader = new KafkajsChangelogReader(kafka);
 * const ends = await reader.endOffsets([{ topic: 'app-counts-changelog', partition: 0 }]);
 * const { records, nextOffset } = await reader.read({ topic: 'app-counts-changelog', partition: 0 }, { fromOffset: 0, untilOffset: ends.get('app-counts-changelog-0') });
 * await reader.disconnect();
 */
export class KafkajsChangelogReader implements ChangelogPartitionReader {
  readonly #cluster: KafkajsCluster;
  readonly #maxBytesPerPartition: number;
  readonly #logger: Logger | undefined;
  readonly #leftovers = new Map<string, Leftover>();
  readonly #prefetches = new Map<string, Prefetch>();
  #connecting: Promise<void> | undefined;

  constructor(kafka: Kafka, options: KafkajsChangelogReaderOptions = {}) {
    this.#cluster = kafkajsCluster(kafka);
    this.#maxBytesPerPartition = options.maxBytesPerPartition ?? 1024 * 1024;
    this.#logger = options.logger;
  }

  /** Connects to the cluster (done on first use too). */
  connect(): Promise<void> {
    this.#connecting ??= this.#cluster.connect();
    return this.#connecting;
  }

  async disconnect(): Promise<void> {
    this.#leftovers.clear();
    const prefetches = [...this.#prefetches.values()];
    this.#prefetches.clear();
    await Promise.allSettled(prefetches.map((prefetch) => prefetch.result));
    if (this.#connecting === undefined) return;
    this.#connecting = undefined;
    await this.#cluster.disconnect();
  }

  async read(partition: TopicPartition, options: ChangelogFetchOptions): Promise<ChangelogFetchResult> {
    const key = `${partition.topic}-${partition.partition}`;
    const leftover = this.#leftovers.get(key);
    this.#leftovers.delete(key);
    if (leftover !== undefined && leftover.fromOffset === options.fromOffset) return this.#limit(key, leftover, options);
    const fetched = await this.#prefetched(key, options) ?? (await this.#fetchCommitted(partition, options));
    if (fetched.outOfRange === true) return fetched;
    this.#prefetch(key, partition, { ...options, fromOffset: fetched.nextOffset });
    return this.#limit(key, { fromOffset: options.fromOffset, records: fetched.records, start: 0, nextOffset: fetched.nextOffset }, options);
  }

  /** The fetch started ahead for exactly this read, if any (a restore reads sequentially). */
  #prefetched(key: string, options: ChangelogFetchOptions): Promise<ChangelogFetchResult> | undefined {
    const prefetch = this.#prefetches.get(key);
    this.#prefetches.delete(key);
    if (prefetch === undefined || prefetch.fromOffset !== options.fromOffset || prefetch.untilOffset !== options.untilOffset) return undefined;
    return prefetch.result;
  }

  /**
   * While a restore applies one fetch, the next one is already on the wire (as kafkajs' own
   * consumer overlaps fetching and processing). Only bounded reads prefetch; tailing does not.
   */
  #prefetch(key: string, partition: TopicPartition, options: ChangelogFetchOptions): void {
    if (options.untilOffset === undefined || options.fromOffset >= options.untilOffset) return;
    const result = this.#fetchCommitted(partition, options);
    result.catch(() => undefined);
    this.#prefetches.set(key, { fromOffset: options.fromOffset, untilOffset: options.untilOffset, result });
  }

  /** End offsets (high watermarks: a restore waits for open transactions to end) by `<topic>-<partition>`. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.#listOffsets(partitions, false);
  }

  /** Log start offsets by `<topic>-<partition>`. */
  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.#listOffsets(partitions, true);
  }

  /**
   * Hands out at most `maxRecords` (and nothing at or past `untilOffset`); keeps the rest for the
   * next read as a position in the same array (no copy of the remainder per read).
   */
  #limit(key: string, fetched: Leftover, options: ChangelogFetchOptions): ChangelogFetchResult {
    const { records, start } = fetched;
    const until = options.untilOffset ?? Number.POSITIVE_INFINITY;
    let end = records.length;
    while (end > start && (records[end - 1] as CommittedRecord).offset >= until) end--;
    const nextOffset = Math.min(fetched.nextOffset, until);
    const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    if (end - start <= maxRecords) {
      const inRange = start === 0 && end === records.length ? records : records.slice(start, end);
      return { records: inRange, nextOffset: Math.max(nextOffset, options.fromOffset) };
    }
    const restStart = (records[start + maxRecords] as CommittedRecord).offset;
    this.#leftovers.set(key, { fromOffset: restStart, records, start: start + maxRecords, nextOffset });
    return { records: records.slice(start, start + maxRecords), nextOffset: restStart };
  }

  /**
   * One read_committed fetch, decoded by kstreams' RecordBatch reader: aborted transactions and
   * control batches dropped, `nextOffset` the end of the last whole batch (past markers and
   * batches emptied by compaction). Nothing whole fetched (no data below the stable offset yet):
   * no records and `nextOffset` = `fromOffset`.
   */
  async #fetchCommitted(partition: TopicPartition, options: ChangelogFetchOptions): Promise<ChangelogFetchResult> {
    const { fromOffset } = options;
    const data = await this.#fetchWithRetries(partition, fromOffset, options.maxWaitMs ?? 0);
    if (data === 'out-of-range') return { records: [], nextOffset: fromOffset, outOfRange: true };
    let read: ReturnType<typeof readRecordBatches<CommittedRecord>>;
    try {
      read = readRecordBatches(data.records, fromOffset, data.abortedTransactions, toCommittedRecord);
    } catch (error) {
      throw new UnreadableFetchError(partition.topic, partition.partition, fromOffset, error);
    }
    return { records: read.records, nextOffset: Math.max(read.nextOffset ?? fromOffset, fromOffset) };
  }

  async #fetchWithRetries(partition: TopicPartition, fromOffset: number, maxWaitMs: number): Promise<ClusterPartitionData | 'out-of-range'> {
    await this.connect();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#cluster.fetchPartition(partition, { fromOffset, maxWaitMs, maxBytes: this.#maxBytesPerPartition });
      } catch (error) {
        if ((error as { name?: unknown }).name === 'KafkaJSOffsetOutOfRange') return 'out-of-range';
        if (attempt >= RETRIES || (error as { retriable?: unknown }).retriable !== true) throw error;
        this.#logger?.warn(`Changelog fetch of ${partition.topic}-${partition.partition} failed (attempt ${attempt}); refreshing metadata and retrying`, { error });
        await this.#cluster.refreshMetadata().catch(() => undefined);
      }
    }
  }

  async #listOffsets(partitions: readonly TopicPartition[], fromBeginning: boolean): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map();
    await this.connect();
    return this.#cluster.listOffsets(partitions, fromBeginning);
  }
}

const toCommittedRecord: ReadRecordFactory<CommittedRecord> = (offset, timestamp, bytes, keyStart, keyLength, valueStart, valueLength) => ({
  offset,
  key: keyLength < 0 ? null : bytes.subarray(keyStart, keyStart + keyLength),
  value: valueLength < 0 ? null : bytes.subarray(valueStart, valueStart + valueLength),
  timestamp,
});
