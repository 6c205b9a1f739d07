import { StreamsError } from '@kstreams/core';
import { metrics, type Counter } from '@opentelemetry/api';
import { DefaultPartitioner } from './default-partitioner.js';
import type { Logger, OutgoingRecord, RecordCollector } from './internal/engine-ports.js';
import { partitionKey, type ProducerRecord, type RecordProducer, type TopicPartition } from './kafka/kafka-client.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { isKafkaSecurityFailure } from './auth-errors.js';
import type { TopicPartitionCounts } from './topic-partition-counts.js';

/** A buffered record and the task that sent it. */
interface PendingRecord {
  readonly record: OutgoingRecord;
  readonly taskId: string;
}

/** What a {@link KafkaRecordCollector} sends through and reports to. */
export interface KafkaRecordCollectorOptions {
  readonly producer: Pick<RecordProducer, 'send'>;
  readonly partitionCounts: Pick<TopicPartitionCounts, 'load'>;
  readonly productionExceptionHandler: ProductionExceptionHandler;
  /** Printed id used in handlers and errors for records sent without a task (default `instance`). */
  readonly taskId?: string;
  readonly logger: Logger;
  /** Most records per producer request. Default 2000: kafkajs groups messages per partition in quadratic time, so huge requests cost more than they save. */
  readonly maxBatchRecords?: number;
}

/**
 * The Kafka runtime's {@link RecordCollector}. `send` only buffers (processing never waits for
 * the network); one send loop drains the buffer in order, so records keep their order per
 * partition and batch naturally while a request is in flight. Records without a partition get
 * the sink's partitioner or the Java-compatible default partitioner. A failed send goes to the
 * production exception handler: CONTINUE drops (and counts) the records, FAIL makes the next
 * `flush()` throw, so offsets are never committed ahead of their output.
 */
export class KafkaRecordCollector implements RecordCollector {
  readonly #options: KafkaRecordCollectorOptions;
  readonly #partitioner = new DefaultPartitioner();
  readonly #dropped: Counter;
  #pending: PendingRecord[] = [];
  #draining: Promise<void> | undefined;
  #fatal: StreamsError | undefined;
  #droppedCount = 0;
  #sentCount = 0;
  readonly #acknowledged = new Map<string, number>();

  constructor(options: KafkaRecordCollectorOptions) {
    this.#options = options;
    this.#dropped = metrics.getMeter('kstreams').createCounter('kstreams.producer.dropped-records', {
      description: 'Records the production exception handler chose to drop after a failed send.',
    });
  }

  /** Records dropped by the production exception handler so far. */
  get droppedCount(): number {
    return this.#droppedCount;
  }

  /** Records acknowledged by the broker so far. */
  get sentCount(): number {
    return this.#sentCount;
  }

  /**
   * The offset of the last record the broker acknowledged in a partition (e.g. a store's
   * changelog partition: what the task's checkpoint records after a commit), if any was sent.
   */
  acknowledgedOffset(partition: TopicPartition): number | undefined {
    return this.#acknowledged.get(partitionKey(partition));
  }

  /** Records buffered or in flight. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  send(record: OutgoingRecord): void {
    this.#enqueue(record, this.#options.taskId ?? 'instance');
  }

  /**
   * A collector for one task: records keep the task id for the production exception handler and
   * errors, while sharing this collector's ordering, batching and flush.
   */
  forTask(taskId: string): RecordCollector {
    return { send: (record) => this.#enqueue(record, taskId), flush: () => this.flush() };
  }

  #enqueue(record: OutgoingRecord, taskId: string): void {
    this.#pending.push({ record, taskId });
    // Start draining after the current synchronous processing step, so records batch up.
    this.#draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  /** Resolves once everything sent so far is acknowledged; throws the first fatal send error. */
  async flush(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
    const fatal = this.#fatal;
    if (fatal !== undefined) {
      this.#fatal = undefined;
      throw fatal;
    }
  }

  async #drain(): Promise<void> {
    const limit = this.#options.maxBatchRecords ?? 2000;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.length <= limit ? this.#pending : this.#pending.slice(0, limit);
        this.#pending = this.#pending.length <= limit ? [] : this.#pending.slice(limit);
        await this.#sendBatch(batch);
      }
    } finally {
      this.#draining = undefined;
    }
  }

  async #sendBatch(batch: readonly PendingRecord[]): Promise<void> {
    const ready: ProducerRecord[] = [];
    const origins: PendingRecord[] = [];
    const counts = await this.#loadCounts(batch);
    for (const pending of batch) {
      const partition = this.#choosePartition(pending, counts);
      if (partition === undefined) continue;
      const { record } = pending;
      ready.push({ topic: record.topic, partition, key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp });
      origins.push(pending);
    }
    if (ready.length === 0) return;
    try {
      const acknowledged = await this.#options.producer.send(ready);
      this.#sentCount += ready.length;
      for (const { lastOffset, ...partition } of acknowledged) {
        const key = partitionKey(partition);
        this.#acknowledged.set(key, Math.max(lastOffset, this.#acknowledged.get(key) ?? -1));
      }
    } catch (error) {
      for (const pending of origins) this.#handleError(pending, error);
    }
  }

  async #loadCounts(batch: readonly PendingRecord[]): Promise<ReadonlyMap<string, number>> {
    const topics = batch.filter(({ record }) => record.partition === undefined).map(({ record }) => record.topic);
    if (topics.length === 0) return new Map();
    try {
      return await this.#options.partitionCounts.load(topics);
    } catch (error) {
      this.#options.logger.warn('Cannot read the partition counts of output topics; the records go to the production exception handler.', { error });
      return new Map();
    }
  }

  #choosePartition(pending: PendingRecord, counts: ReadonlyMap<string, number>): number | undefined {
    const { record, taskId } = pending;
    if (record.partition !== undefined) return record.partition;
    const count = counts.get(record.topic);
    if (count === undefined) {
      this.#handleError(pending, new StreamsError(`Topic "${record.topic}" does not exist (or its metadata cannot be read: on a secured cluster, check the WRITE ACL), so the record from "${record.producerName}" cannot be sent. Create the topic first: output topics are not created automatically.`, { taskId }));
      return undefined;
    }
    const chosen = record.choosePartition?.(count) ?? this.#partitioner.partition(record.topic, record.key, count);
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= count) {
      this.#handleError(pending, new StreamsError(`The partitioner of "${record.producerName}" chose partition ${chosen} of topic "${record.topic}", which has ${count} partitions. Return a partition between 0 and ${count - 1}, or undefined for the default.`, { taskId }));
      return undefined;
    }
    return chosen;
  }

  #handleError(pending: PendingRecord, error: unknown): void {
    const { record, taskId } = pending;
    // As in Java: a refused login or a missing ACL is fatal whatever the handler would say.
    if (isKafkaSecurityFailure(error)) {
      this.#fatal ??= Object.assign(new StreamsError(`Sending a record from "${record.producerName}" to topic "${record.topic}" was refused by the cluster.`, { cause: error, taskId }), { topic: record.topic });
      return;
    }
    const context = { taskId, logger: this.#options.logger };
    let response: 'CONTINUE' | 'FAIL';
    try {
      response = this.#options.productionExceptionHandler.handle(context, record, error);
    } catch (handlerError) {
      response = 'FAIL';
      error = handlerError;
    }
    if (response === 'CONTINUE') {
      this.#droppedCount++;
      this.#dropped.add(1, { 'task.id': taskId });
      return;
    }
    this.#fatal ??= StreamsError.isInstance(error)
      ? error
      : new StreamsError(`Sending a record from "${record.producerName}" to topic "${record.topic}" failed: ${error instanceof Error ? error.message : String(error)}. Fix the cause, or set a productionExceptionHandler that continues.`, { cause: error, taskId });
  }
}
