import type { Logger } from '@kstreams/core';
import { isFencingCode, kafkaErrorCode } from '../kafka-error-codes.js';
import { KafkaProtocolError, ProducerFencedProtocolError } from '../kafka-protocol-error.js';
import { produceRequest, type ProducePartitionResponse, type ProduceTopicData } from '../produce-request.js';
import type { BatchRecord } from '../record-batch-builder.js';
import { isNetworkError } from './coordinator-retry.js';
import type { ProducerCluster } from './kafkajs-producer-cluster.js';
import { PartitionState, ProducerBatch, SendHandle } from './producer-batch.js';
import type { ProducerIdentity } from './transaction-coordinator.js';

/** Tuning of the sender (validated by `BatchProducer`). */
export interface ProduceSenderSettings {
  readonly batchSizeBytes: number;
  readonly lingerMs: number;
  readonly maxInFlightPerBroker: number;
  readonly maxRequestBytes: number;
  readonly requestTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly retryBackoffMs: number;
}

/** What the sender asks of its owner: identity, AddPartitionsToTxn, and where to report a failure. */
export interface ProduceSenderOwner {
  identity(): ProducerIdentity;
  readonly transactionalId: string | null;
  /** Adds partitions to the open transaction (transactional producers only). */
  addPartitions(partitions: readonly PartitionState[]): Promise<void>;
  /** A send failed for good: the producer stops (idempotent) or the transaction must abort. */
  failed(error: Error): void;
}

const METADATA_CODES = new Set([3, 5, 6, 74, 75]);
const OUT_OF_ORDER_SEQUENCE = 45;
const DUPLICATE_SEQUENCE = 46;

/**
 * Accumulates records into one RecordBatch per partition and sends them: one Produce v8 request
 * per broker with at most one batch per partition, up to `maxInFlightPerBroker` requests in
 * flight per broker on kafkajs' pipelined connection. Sequence numbers are given when a batch is
 * first sent; a retriable failure blocks its partition until the partition's in-flight batches
 * return, then resends the failed ones in sequence order (Java's idempotent producer).
 */
export class ProduceSender {
  readonly #cluster: ProducerCluster;
  readonly #owner: ProduceSenderOwner;
  readonly #settings: ProduceSenderSettings;
  readonly #logger: Logger;
  readonly #partitions = new Map<string, PartitionState[]>();
  readonly #openPartitions = new Set<PartitionState>();
  readonly #readyPartitions = new Set<PartitionState>();
  readonly #inFlightByNode = new Map<number, number>();
  readonly #liveHandles = new Set<SendHandle>();
  #pendingTransactionAdds = new Set<PartitionState>();
  #addingPartitions = false;
  #refreshingMetadata = false;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #flushing = 0;
  bufferedRecords = 0;
  bufferedBytes = 0;
  #emptyWaiters: (() => void)[] = [];
  #drainListeners: (() => void)[] = [];

  constructor(cluster: ProducerCluster, owner: ProduceSenderOwner, settings: ProduceSenderSettings, logger: Logger) {
    this.#cluster = cluster;
    this.#owner = owner;
    this.#settings = settings;
    this.#logger = logger;
  }

  /** Appends records to their partitions' open batches; the handle settles when all are acknowledged. */
  append(records: readonly (BatchRecord & { readonly topic: string; readonly partition: number })[]): SendHandle {
    const handle = new SendHandle();
    this.#liveHandles.add(handle);
    const now = Date.now();
    const batchSize = this.#settings.batchSizeBytes;
    for (const record of records) {
      const partition = this.#partition(record.topic, record.partition);
      let batch = partition.open;
      let before: number;
      if (batch === undefined) {
        // Start where the partition's last batch ended: a busy partition skips the doublings.
        const initialCapacity = Math.min(batchSize + 4096, Math.max(16 * 1024, partition.lastBatchBytes + 1024));
        batch = partition.open = new ProducerBatch(partition, { initialCapacity, expectedSize: batchSize + 4096 }, now);
        this.#openPartitions.add(partition);
        before = 0; // the batch header counts too
      } else {
        before = batch.sizeInBytes;
      }
      batch.append(record, handle);
      this.bufferedBytes += batch.sizeInBytes - before;
      if (batch.sizeInBytes >= batchSize) this.#close(partition);
    }
    this.bufferedRecords += records.length;
    handle.appended();
    void handle.promise.then(() => this.#liveHandles.delete(handle), () => this.#liveHandles.delete(handle));
    this.wake();
    return handle;
  }

  /** Resolves when nothing is buffered or in flight (linger is skipped meanwhile). */
  async drain(): Promise<void> {
    this.#flushing++;
    try {
      this.wake();
      while (this.bufferedRecords > 0) await new Promise<void>((resolve) => this.#emptyWaiters.push(resolve));
    } finally {
      this.#flushing--;
    }
  }

  /** Calls `listener` whenever batches complete (the owner checks buffer room). */
  onProgress(listener: () => void): void {
    this.#drainListeners.push(listener);
  }

  /** Fails every pending send with `error`, drops unsent batches, keeps in-flight accounting. */
  discardUnsent(error: Error): void {
    for (const handle of this.#liveHandles) handle.fail(error);
    this.#liveHandles.clear();
    for (const partitions of this.#partitions.values()) {
      for (const partition of partitions) {
        if (partition === undefined) continue;
        for (const batch of [...(partition.open === undefined ? [] : [partition.open]), ...partition.queue, ...partition.retries]) this.#release(batch);
        partition.open = undefined;
        partition.queue.length = 0;
        partition.retries.length = 0;
      }
    }
    this.#openPartitions.clear();
    this.#readyPartitions.clear();
    this.#notifyProgress();
  }

  /** Resolves when no request is in flight (after {@link discardUnsent}). */
  async idle(): Promise<void> {
    while ([...this.#inFlightByNode.values()].some((count) => count > 0)) await new Promise<void>((resolve) => this.#emptyWaiters.push(resolve));
  }

  /** Forgets sequences and transaction membership (new producer id or epoch, or a new transaction). */
  resetPartitions(options: { sequences: boolean }): void {
    for (const partitions of this.#partitions.values()) {
      for (const partition of partitions) {
        if (partition === undefined) continue;
        partition.inTransaction = false;
        if (options.sequences) partition.resetSequences();
      }
    }
  }

  /** Schedules a send pass on the next turn of the event loop. */
  wake(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#run();
    });
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #partition(topic: string, index: number): PartitionState {
    let partitions = this.#partitions.get(topic);
    if (partitions === undefined) this.#partitions.set(topic, (partitions = []));
    let partition = partitions[index];
    if (partition === undefined) partition = partitions[index] = new PartitionState(topic, index);
    return partition;
  }

  #close(partition: PartitionState): void {
    const batch = partition.open;
    if (batch === undefined) return;
    partition.open = undefined;
    partition.lastBatchBytes = batch.sizeInBytes;
    this.#openPartitions.delete(partition);
    partition.queue.push(batch);
    this.#readyPartitions.add(partition);
  }

  #run(): void {
    const now = Date.now();
    let nextLinger = Infinity;
    for (const partition of this.#openPartitions) {
      const deadline = (partition.open?.createdAt ?? now) + this.#settings.lingerMs;
      if (this.#flushing > 0 || deadline <= now) this.#close(partition);
      else nextLinger = Math.min(nextLinger, deadline);
    }
    const byNode = this.#sendablePartitionsByNode(now);
    for (const [nodeId, partitions] of byNode) this.#sendToNode(nodeId, partitions);
    this.#schedule(nextLinger);
  }

  #sendablePartitionsByNode(now: number): Map<number, PartitionState[]> {
    const byNode = new Map<number, PartitionState[]>();
    let unknownLeader = false;
    let earliestBackoff = Infinity;
    for (const partition of this.#readyPartitions) {
      if (partition.queue.length === 0) {
        this.#readyPartitions.delete(partition);
        continue;
      }
      if (partition.blocked) continue;
      if (partition.backoffUntil > now) {
        earliestBackoff = Math.min(earliestBackoff, partition.backoffUntil);
        continue;
      }
      if (this.#owner.transactionalId !== null && !partition.inTransaction) {
        this.#pendingTransactionAdds.add(partition);
        continue;
      }
      const nodeId = this.#cluster.leaderOf(partition.topic, partition.partition);
      if (nodeId === undefined) {
        unknownLeader = true;
        this.#failIfTooOld(partition, now);
        continue;
      }
      let list = byNode.get(nodeId);
      if (list === undefined) byNode.set(nodeId, (list = []));
      list.push(partition);
    }
    if (unknownLeader) this.#refreshMetadata();
    if (this.#pendingTransactionAdds.size > 0) this.#addPartitionsToTransaction();
    this.#schedule(earliestBackoff);
    return byNode;
  }

  /** A partition without a leader for longer than the delivery timeout fails its oldest batch. */
  #failIfTooOld(partition: PartitionState, now: number): void {
    const batch = partition.queue[0];
    if (batch === undefined || now - batch.createdAt <= this.#settings.deliveryTimeoutMs) return;
    partition.queue.shift();
    partition.inFlight++; // #fail counts it down
    const message = `No leader known for ${partition.topic}-${partition.partition} after ${this.#settings.deliveryTimeoutMs} ms: does the topic exist with that many partitions? Create it before producing.`;
    this.#fail(batch, new KafkaProtocolError(message, { retriable: false }));
  }

  #sendToNode(nodeId: number, partitions: PartitionState[]): void {
    let inFlight = this.#inFlightByNode.get(nodeId) ?? 0;
    while (inFlight < this.#settings.maxInFlightPerBroker) {
      const batches = this.#takeBatches(partitions);
      if (batches.length === 0) return;
      inFlight++;
      this.#inFlightByNode.set(nodeId, inFlight);
      void this.#sendRequest(nodeId, batches);
    }
  }

  /** At most one batch per partition, up to the request size limit (always at least one batch). */
  #takeBatches(partitions: PartitionState[]): ProducerBatch[] {
    const identity = this.#owner.identity();
    const transactional = this.#owner.transactionalId !== null;
    const batches: ProducerBatch[] = [];
    let size = 0;
    for (const partition of partitions) {
      const batch = partition.queue[0];
      if (batch === undefined || partition.blocked) continue;
      if (batches.length > 0 && size + batch.sizeInBytes > this.#settings.maxRequestBytes) break;
      partition.queue.shift();
      if (batch.bytes === undefined) {
        batch.seal({ ...identity, transactional }, partition.nextSequence);
        partition.nextSequence += batch.recordCount;
      }
      partition.inFlight++;
      size += batch.sizeInBytes;
      batches.push(batch);
    }
    return batches;
  }

  async #sendRequest(nodeId: number, batches: ProducerBatch[]): Promise<void> {
    const topics = new Map<string, { partition: number; batch: Buffer }[]>();
    for (const batch of batches) {
      const list = topics.get(batch.partition.topic);
      const data = { partition: batch.partition.partition, batch: batch.bytes as Buffer };
      if (list === undefined) topics.set(batch.partition.topic, [data]);
      else list.push(data);
    }
    const topicData: ProduceTopicData[] = [...topics].map(([topic, partitions]) => ({ topic, partitions }));
    const request = produceRequest({ transactionalId: this.#owner.transactionalId, acks: -1, timeoutMs: this.#settings.requestTimeoutMs, topics: topicData });
    try {
      const response = await this.#cluster.send(nodeId, request);
      const answers = new Map<string, ProducePartitionResponse>();
      for (const topic of response.topics) for (const answer of topic.partitions) answers.set(`${topic.topic}\u0000${answer.partition}`, answer);
      for (const batch of batches) this.#handleAnswer(batch, answers.get(`${batch.partition.topic}\u0000${batch.partition.partition}`));
    } catch (error) {
      const retriable = isNetworkError(error) || (error as { retriable?: boolean }).retriable === true;
      const failure = new KafkaProtocolError(`Produce request to broker ${nodeId} failed: ${(error as Error).message}`, { retriable, cause: error });
      this.#refreshMetadata();
      for (const batch of batches) this.#retryOrFail(batch, failure);
    } finally {
      this.#inFlightByNode.set(nodeId, (this.#inFlightByNode.get(nodeId) ?? 1) - 1);
      this.#notifyProgress();
      this.wake();
    }
  }

  #handleAnswer(batch: ProducerBatch, answer: ProducePartitionResponse | undefined): void {
    const { topic, partition } = batch.partition;
    if (answer === undefined) {
      this.#retryOrFail(batch, new KafkaProtocolError(`The Produce response has no answer for ${topic}-${partition}`, { retriable: true }));
      return;
    }
    const code = answer.errorCode;
    if (code === 0) return this.#complete(batch, answer.baseOffset);
    if (code === DUPLICATE_SEQUENCE) return this.#complete(batch, -1);
    const context = `Producing ${batch.recordCount} records to ${topic}-${partition}`;
    if (code === OUT_OF_ORDER_SEQUENCE && batch.baseSequence > batch.partition.ackedSequenceEnd) {
      // An earlier batch of the partition failed too; this one goes again after it.
      return this.#retryOrFail(batch, new KafkaProtocolError(`${context} failed with OUT_OF_ORDER_SEQUENCE_NUMBER after an earlier batch failed`, { errorCode: code, retriable: true }));
    }
    if (METADATA_CODES.has(code)) this.#refreshMetadata();
    if (isFencingCode(code)) return this.#fail(batch, new ProducerFencedProtocolError(this.#owner.transactionalId, code));
    const error = KafkaProtocolError.fromCode(code, context, answer.errorMessage ?? answer.recordErrors[0]?.message);
    if (kafkaErrorCode(code).retriable) this.#retryOrFail(batch, error);
    else this.#fail(batch, error);
  }

  #complete(batch: ProducerBatch, baseOffset: number): void {
    const partition = batch.partition;
    partition.inFlight--;
    partition.ackedSequenceEnd = Math.max(partition.ackedSequenceEnd, batch.baseSequence + batch.recordCount);
    this.#release(batch);
    for (let index = 0; index < batch.handles.length; index++) {
      batch.handles[index]!.acknowledged(partition, baseOffset < 0 ? -1 : baseOffset + batch.lastDeltas[index]!);
    }
    this.#requeueRetries(partition);
  }

  #retryOrFail(batch: ProducerBatch, error: KafkaProtocolError): void {
    const partition = batch.partition;
    batch.attempts++;
    if (!error.retriable || Date.now() - batch.createdAt > this.#settings.deliveryTimeoutMs) {
      const reason = error.retriable ? ` and kept failing for ${this.#settings.deliveryTimeoutMs} ms (delivery timeout)` : '';
      return this.#fail(batch, new KafkaProtocolError(`${error.message}${reason}`, { errorCode: error.errorCode, retriable: false, cause: error }));
    }
    this.#logger.debug(`Retrying a batch of ${partition.topic}-${partition.partition} (attempt ${batch.attempts + 1}): ${error.message}`);
    partition.inFlight--;
    partition.retries.push(batch);
    this.#requeueRetries(partition);
  }

  #requeueRetries(partition: PartitionState): void {
    if (partition.inFlight > 0 || partition.retries.length === 0) return;
    partition.retries.sort((first, second) => first.baseSequence - second.baseSequence);
    partition.queue.unshift(...partition.retries);
    partition.retries.length = 0;
    partition.backoffUntil = Date.now() + this.#settings.retryBackoffMs;
    this.#readyPartitions.add(partition);
  }

  #fail(batch: ProducerBatch, error: Error): void {
    batch.partition.inFlight--;
    this.#release(batch);
    for (const handle of batch.handles) handle.fail(error);
    this.#owner.failed(error);
  }

  #release(batch: ProducerBatch): void {
    this.bufferedRecords -= batch.recordCount;
    this.bufferedBytes -= batch.sizeInBytes;
  }

  #notifyProgress(): void {
    for (const listener of this.#drainListeners) listener();
    const idle = ![...this.#inFlightByNode.values()].some((count) => count > 0);
    if (this.bufferedRecords > 0 && !idle) return;
    const waiters = this.#emptyWaiters;
    this.#emptyWaiters = [];
    for (const waiter of waiters) waiter();
  }

  #refreshMetadata(): void {
    if (this.#refreshingMetadata) return;
    this.#refreshingMetadata = true;
    const topics = [...this.#partitions.keys()];
    this.#cluster
      .ensureTopics(topics)
      .then(() => this.#cluster.refreshMetadata())
      .catch((error: unknown) => this.#logger.warn(`Metadata refresh failed: ${(error as Error).message}`))
      .finally(() => {
        this.#refreshingMetadata = false;
        setTimeout(() => this.wake(), this.#settings.retryBackoffMs).unref();
      });
  }

  #addPartitionsToTransaction(): void {
    if (this.#addingPartitions) return;
    this.#addingPartitions = true;
    const partitions = [...this.#pendingTransactionAdds];
    this.#pendingTransactionAdds = new Set();
    this.#owner
      .addPartitions(partitions)
      .then(() => {
        for (const partition of partitions) partition.inTransaction = true;
      })
      .catch((error: unknown) => this.#owner.failed(error as Error))
      .finally(() => {
        this.#addingPartitions = false;
        this.wake();
      });
  }

  #schedule(at: number): void {
    if (at === Infinity || at >= this.#timerAt) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#run();
    }, Math.max(0, at - Date.now()));
  }
}
