import { StreamsError } from '@kstreams/core';
import { metrics, type Counter } from '@opentelemetry/api';
import { DefaultPartitioner } from './default-partitioner.js';
import type { Logger, OutgoingRecord, RecordCollector } from './internal/engine-ports.js';
import { partitionKey, type AcknowledgedOffset, type ProducerRecord, type RecordProducer, type TopicPartition } from './kafka/kafka-client.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { isKafkaSecurityFailure } from './auth-errors.js';
import type { TopicPartitionCounts } from './topic-partition-counts.js';

/**
 * The collector of one task incarnation: records keep the task id for handlers and errors, and
 * the offsets the broker acknowledged for them are kept per incarnation, so a checkpoint never
 * claims writes of an earlier (dirty-closed) incarnation of the same task.
 */
export class TaskRecordCollector implements RecordCollector {
  readonly taskId: string;
  readonly #parent: KafkaRecordCollector;
  readonly #acknowledged = new Map<string, number>();
  #discarded = false;

  constructor(parent: KafkaRecordCollector, taskId: string) {
    this.#parent = parent;
    this.taskId = taskId;
  }

  send(record: OutgoingRecord): void {
    if (!this.#discarded) this.#parent.enqueue(record, this);
  }

  flush(): Promise<void> {
    return this.#parent.flush();
  }

  /** The last offset acknowledged for this incarnation's records in a partition, if any. */
  acknowledgedOffset(partition: TopicPartition): number | undefined {
    return this.#acknowledged.get(partitionKey(partition));
  }

  /** Drops this incarnation's records not sent yet, and everything it sends later (a dirty close). */
  discard(): void {
    this.#discarded = true;
  }

  get discarded(): boolean {
    return this.#discarded;
  }

  /** @internal */
  noteAcknowledged(key: string, lastOffset: number): void {
    if (lastOffset > (this.#acknowledged.get(key) ?? -1)) this.#acknowledged.set(key, lastOffset);
  }
}

/** Unsent records above which processing waits for the producer. */
const MAX_PENDING_RECORDS = 4_000;
/** Batches handed to the producer and not acknowledged yet. */
const MAX_IN_FLIGHT_BATCHES = 8;

/** A buffered record and the task incarnation that sent it. */
interface PendingRecord {
  readonly record: OutgoingRecord;
  readonly owner: TaskRecordCollector;
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
 * production exception handler: CONTINUE drops (and counts) the records; FAIL stops all sending
 * at once and makes {@link fatalError} and every later `flush()` report it, so offsets are never
 * committed ahead of their output and no later record overtakes the failed one.
 */
export class KafkaRecordCollector implements RecordCollector {
  readonly #options: KafkaRecordCollectorOptions;
  readonly #partitioner = new DefaultPartitioner();
  readonly #dropped: Counter;
  readonly #instance: TaskRecordCollector;
  /** Pending records in segments of at most `maxBatchRecords`, so draining never copies the backlog. */
  #segments: PendingRecord[][] = [];
  #pendingCount = 0;
  #draining: Promise<void> | undefined;
  /** Batches handed to the producer and not acknowledged yet (several in flight, order kept by the producer). */
  readonly #inFlight = new Set<Promise<void>>();
  /** Serialises the moment each batch is handed to the producer, so batches reach it in order. */
  #handOff: Promise<void> = Promise.resolve();
  #fatal: StreamsError | undefined;
  #droppedCount = 0;
  #sentCount = 0;

  constructor(options: KafkaRecordCollectorOptions) {
    this.#options = options;
    this.#instance = new TaskRecordCollector(this, options.taskId ?? 'instance');
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

  /** Records buffered or in flight. */
  get pendingCount(): number {
    return this.#pendingCount;
  }

  /**
   * The fatal production error, once a send failed and the handler said FAIL. From then on
   * nothing more is sent (so output order is never broken); the stream thread stops at once.
   */
  get fatalError(): StreamsError | undefined {
    return this.#fatal;
  }

  /** The last offset acknowledged for records sent without a task (tests, instance records). */
  acknowledgedOffset(partition: TopicPartition): number | undefined {
    return this.#instance.acknowledgedOffset(partition);
  }

  send(record: OutgoingRecord): void {
    this.enqueue(record, this.#instance);
  }

  /** A collector for one incarnation of a task (see {@link TaskRecordCollector}). */
  forTask(taskId: string): TaskRecordCollector {
    return new TaskRecordCollector(this, taskId);
  }

  /** @internal Buffers a record; sending starts after the current synchronous step, so records batch up. */
  enqueue(record: OutgoingRecord, owner: TaskRecordCollector): void {
    if (this.#fatal !== undefined) return;
    const limit = this.#options.maxBatchRecords ?? 2000;
    let segment = this.#segments.at(-1);
    if (segment === undefined || segment.length >= limit) this.#segments.push((segment = []));
    segment.push({ record, owner });
    this.#pendingCount++;
    this.#draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  /**
   * Back-pressure for processing: resolves once the unsent backlog and the batches in flight are
   * below their bounds (so memory does not grow with the commit interval).
   */
  async waitForRoom(): Promise<void> {
    while (this.#fatal === undefined && (this.#pendingCount > MAX_PENDING_RECORDS || this.#inFlight.size >= MAX_IN_FLIGHT_BATCHES)) {
      const waits = [...this.#inFlight];
      if (waits.length === 0) {
        if (this.#draining === undefined) return;
        await this.#draining;
      } else {
        await Promise.race(waits);
      }
    }
  }

  /** Resolves once everything sent so far is acknowledged; throws the fatal send error, if any. */
  async flush(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
    if (this.#fatal !== undefined) throw this.#fatal;
  }

  /**
   * Exactly-once, after the transaction was aborted: waits for the batches in flight to settle,
   * then forgets every pending record and the fatal error, so the recreated tasks send again.
   */
  async reset(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining.catch(() => undefined);
    this.#segments = [];
    this.#pendingCount = 0;
    this.#fatal = undefined;
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        const batch = this.#segments.shift();
        if (batch === undefined) {
          if (this.#inFlight.size === 0) break;
          await Promise.race(this.#inFlight);
          continue;
        }
        this.#pendingCount -= batch.length;
        if (this.#fatal !== undefined) continue;
        const sending: Promise<void> = this.#sendBatch(batch).finally(() => this.#inFlight.delete(sending));
        this.#inFlight.add(sending);
        if (this.#inFlight.size >= MAX_IN_FLIGHT_BATCHES) await Promise.race(this.#inFlight);
      }
    } finally {
      this.#draining = undefined;
    }
  }

  /** Hands one batch to the producer (after the previous one was handed over) and handles its acknowledgement. */
  async #sendBatch(batch: readonly PendingRecord[]): Promise<void> {
    let acknowledgement: Promise<readonly AcknowledgedOffset[]> | undefined;
    const handedOff = this.#handOff.then(async () => {
      const prepared = await this.#prepare(batch);
      if (prepared.ready.length > 0 && this.#fatal === undefined) acknowledgement = this.#options.producer.send(prepared.ready);
      return prepared;
    });
    this.#handOff = handedOff.then(() => undefined, () => undefined);
    const { ready, origins } = await handedOff;
    if (acknowledgement === undefined) return;
    try {
      const acknowledged = await acknowledgement;
      this.#sentCount += ready.length;
      this.#noteAcknowledged(ready, origins, acknowledged);
    } catch (error) {
      // The cluster does not say which topic of the request it refused: name them all.
      const failure = isKafkaSecurityFailure(error) ? Object.assign(new StreamsError(`Sending to ${[...new Set(ready.map((record) => `"${record.topic}"`))].join(', ')} was refused by the cluster.`, { cause: error }), { topics: [...new Set(ready.map((record) => record.topic))] }) : error;
      for (const pending of origins) this.#handleError(pending, failure);
    }
  }

  /** Chooses partitions (records that cannot be sent go to the handler at once). */
  async #prepare(batch: readonly PendingRecord[]): Promise<{ ready: ProducerRecord[]; origins: PendingRecord[] }> {
    const ready: ProducerRecord[] = [];
    const origins: PendingRecord[] = [];
    const counts = await this.#loadCounts(batch);
    for (const pending of batch) {
      if (pending.owner.discarded) continue;
      const partition = this.#choosePartition(pending, counts);
      if (partition === undefined) continue;
      const { record } = pending;
      ready.push({ topic: record.topic, partition, key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp });
      origins.push(pending);
    }
    return { ready, origins };
  }

  /** Attributes each partition's last acknowledged offset to the incarnations that wrote to it. */
  #noteAcknowledged(ready: readonly ProducerRecord[], origins: readonly PendingRecord[], acknowledged: readonly AcknowledgedOffset[]): void {
    const lastOffsets = new Map(acknowledged.map(({ lastOffset, ...partition }) => [partitionKey(partition), lastOffset]));
    let previousOwner: TaskRecordCollector | undefined;
    let previousKey: string | undefined;
    for (let index = 0; index < ready.length; index++) {
      const owner = origins[index]!.owner;
      const key = partitionKey(ready[index]!);
      if (owner === previousOwner && key === previousKey) continue;
      previousOwner = owner;
      previousKey = key;
      const lastOffset = lastOffsets.get(key);
      if (lastOffset !== undefined) owner.noteAcknowledged(key, lastOffset);
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
    const { record } = pending;
    const taskId = pending.owner.taskId;
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
    const { record } = pending;
    const taskId = pending.owner.taskId;
    if (this.#fatal !== undefined) return;
    const context = { taskId, logger: this.#options.logger };
    // As in Java: a refused login or a missing ACL is fatal whatever the handler would say.
    const refused = isKafkaSecurityFailure(error);
    let response: 'CONTINUE' | 'FAIL' = 'FAIL';
    try {
      if (!refused) response = this.#options.productionExceptionHandler.handle(context, record, error);
    } catch (handlerError) {
      response = 'FAIL';
      error = handlerError;
    }
    if (response === 'CONTINUE') {
      this.#droppedCount++;
      this.#dropped.add(1, { 'task.id': taskId });
      return;
    }
    this.#fatal = StreamsError.isInstance(error)
      ? error
      : new StreamsError(`Sending a record from "${record.producerName}" to topic "${record.topic}" failed: ${error instanceof Error ? error.message : String(error)}. Fix the cause, or set a productionExceptionHandler that continues.`, { cause: error, taskId });
    // Nothing queued behind the failed record may be sent: that would break output order.
    this.#pendingCount -= this.#segments.reduce((sum, segment) => sum + segment.length, 0);
    this.#segments = [];
  }
}
