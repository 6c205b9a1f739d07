import type { Headers } from '../processor/headers.js';
import type { MaybePromise } from './maybe-promise.js';

/** Picks the partition once the collector knows the topic's partition count. */
export type PartitionChooser = (numPartitions: number) => number | undefined;

/** One serialized record leaving a task through a sink (or a dead-letter handler). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Headers;
  readonly timestamp: number;
  /** A fixed partition, when the caller knows it. */
  readonly partition?: number;
  /**
   * The sink's partitioner bound to this record; `undefined` (or a chooser returning
   * `undefined`) means the default partitioner (murmur2 of the key bytes).
   */
  readonly choosePartition?: PartitionChooser;
  /** Name of the sink node (or handler) that produced the record, for errors and metrics. */
  readonly producerName: string;
}

/**
 * Port through which tasks send records out. The Kafka runtime implements it with a producer;
 * the test driver captures records in memory. `send` must not block processing: a runtime
 * buffers and reports errors at `flush`.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): void;
  /** Resolves once every record sent so far is acknowledged (called at each commit). */
  flush(): MaybePromise<void>;
}
