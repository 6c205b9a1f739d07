import type { RawRecord } from './deserialization-exception-handler.js';

/** A consumed record after deserialization and timestamp extraction. */
export interface StampedRecord {
  readonly raw: RawRecord;
  readonly key: unknown;
  readonly value: unknown;
  /** The extracted event time (>= 0). */
  readonly timestamp: number;
}

/**
 * Turns the raw head record into a stamped one, or returns `undefined` when the record is
 * dropped (bad bytes handled by `CONTINUE`, negative timestamp). Throws to fail the task.
 */
export type RecordDecoder = (raw: RawRecord, partitionTimeMs: number) => StampedRecord | undefined;

/**
 * The buffered records of one input partition of a task, in offset order. The head is decoded
 * lazily (as Kafka Streams' RecordQueue does) so the task can compare head timestamps across
 * partitions; dropped records are skipped but still count as consumed.
 */
export class PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly #decode: RecordDecoder;
  #records: RawRecord[] = [];
  #readIndex = 0;
  #head: StampedRecord | undefined;
  #partitionTimeMs = -1;
  #lastConsumedOffset: number | undefined;
  #consumedSinceCommit = false;

  constructor(topic: string, partition: number, decode: RecordDecoder) {
    this.topic = topic;
    this.partition = partition;
    this.#decode = decode;
  }

  add(records: readonly RawRecord[]): void {
    for (const record of records) this.#records.push(record);
  }

  /** The decoded head record, decoding (and skipping dropped records) as needed. */
  head(): StampedRecord | undefined {
    while (this.#head === undefined && this.#readIndex < this.#records.length) {
      const raw = this.#records[this.#readIndex] as RawRecord;
      const stamped = this.#decode(raw, this.#partitionTimeMs);
      if (stamped === undefined) {
        this.#consumed(raw);
        continue;
      }
      this.#partitionTimeMs = Math.max(this.#partitionTimeMs, stamped.timestamp);
      this.#head = stamped;
    }
    return this.#head;
  }

  /** Removes and returns the head record. */
  poll(): StampedRecord | undefined {
    const head = this.head();
    if (head === undefined) return undefined;
    this.#head = undefined;
    this.#consumed(head.raw);
    return head;
  }

  /** Records buffered and not yet processed (back-pressure signal for the runtime). */
  get size(): number {
    return this.#records.length - this.#readIndex;
  }

  /**
   * Starts partition time at the value committed with the partition's offset (Kafka Streams
   * keeps it in the commit metadata), so a restarted task does not go back in time.
   */
  initializePartitionTime(timeMs: number): void {
    this.#partitionTimeMs = Math.max(this.#partitionTimeMs, timeMs);
  }

  /** True when records (processed or dropped) were consumed since {@link markCommitted}. */
  get consumedSinceCommit(): boolean {
    return this.#consumedSinceCommit;
  }

  markCommitted(): void {
    this.#consumedSinceCommit = false;
  }

  /** Highest timestamp decoded on this partition, -1 before the first. */
  get partitionTimeMs(): number {
    return this.#partitionTimeMs;
  }

  /** The offset to commit: the last consumed offset + 1, or `undefined` when nothing was consumed. */
  get committableOffset(): number | undefined {
    return this.#lastConsumedOffset === undefined ? undefined : this.#lastConsumedOffset + 1;
  }

  /** Drops every buffered record (partition revoked or task closing). */
  clear(): void {
    this.#records = [];
    this.#readIndex = 0;
    this.#head = undefined;
  }

  #consumed(raw: RawRecord): void {
    this.#readIndex++;
    this.#lastConsumedOffset = raw.offset;
    this.#consumedSinceCommit = true;
    // Compact once the consumed prefix dominates, so a long-lived queue does not grow forever.
    if (this.#readIndex > 1024 && this.#readIndex * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#readIndex);
      this.#readIndex = 0;
    }
  }
}
