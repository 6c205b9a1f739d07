import { noopLogger, type Logger } from '@kstreams/core';
import type { Kafka } from 'kafkajs';
import { resolveProducerOptions, type BatchProducerOptions, type ResolvedProducerOptions } from './batch-producer-options.js';
import { kafkajsProducerCluster, type ProducerCluster } from './internal/kafkajs-producer-cluster.js';
import { ProduceSender } from './internal/produce-sender.js';
import type { PartitionLastOffset } from './internal/producer-batch.js';
import { TransactionCoordinator, type ProducerIdentity } from './internal/transaction-coordinator.js';
import { KafkaProtocolError, ProducerFencedProtocolError } from './kafka-protocol-error.js';
import type { BatchRecord } from './record-batch-builder.js';
import type { ConsumerGroupMetadata, TxnOffset } from './txn-offset-commit-request.js';

/** A record to produce, its partition already chosen. */
export interface OutgoingRecord extends BatchRecord {
  readonly topic: string;
  readonly partition: number;
}

/** Where a producer is in its life. */
export type BatchProducerState = 'created' | 'ready' | 'in-transaction' | 'abortable' | 'failed' | 'closed';

/**
 * An idempotent (optionally transactional) Kafka producer that encodes its own RecordBatch v2
 * and Produce v8 requests and sends them on kafkajs 2.2.4's broker connections: acks=all,
 * up to 5 requests in flight per broker with per-partition order kept by sequence numbers,
 * batching by size and linger, a bounded buffer with an awaitable room signal.
 *
 * @example
 * const producer = new BatchProducer(new Kafka({ brokers: ['localhost:9092'] }));
 * await producer.connect();
 * const acks = await producer.send([{ topic: 'out', partition: 0, key: null, value: Buffer.from('hi'), headers: [], timestamp: Date.now() }]);
 * await producer.disconnect();
 */
export class BatchProducer {
  readonly #options: ResolvedProducerOptions;
  readonly #cluster: ProducerCluster;
  readonly #coordinator: TransactionCoordinator;
  readonly #sender: ProduceSender;
  readonly #logger: Logger;
  #state: BatchProducerState = 'created';
  #identity: ProducerIdentity = { producerId: -1, producerEpoch: -1 };
  #error: Error | undefined;
  #needsNewEpoch = false;
  #transactionHasData = false;
  #roomWaiters: (() => void)[] = [];
  #closing: Promise<void> | undefined;

  /** `kafka` is a kafkajs instance (its brokers, SSL/SASL and client id are used) or a {@link ProducerCluster}. */
  constructor(kafka: Kafka | ProducerCluster, options: BatchProducerOptions = {}) {
    this.#options = resolveProducerOptions(options);
    this.#logger = options.logger ?? noopLogger;
    this.#cluster = 'ensureTopics' in kafka ? kafka : kafkajsProducerCluster(kafka);
    this.#coordinator = new TransactionCoordinator(this.#cluster, { ...this.#options, retryTimeoutMs: this.#options.deliveryTimeoutMs });
    const owner = {
      identity: () => this.#identity,
      transactionalId: this.#options.transactionalId,
      addPartitions: async (partitions: readonly { topic: string; partition: number }[]) => {
        await this.#coordinator.addPartitions(this.#identity, partitions);
        // Only now has the coordinator a transaction to end (EndTxn of an empty one is refused).
        this.#transactionHasData = true;
      },
      failed: (error: Error) => this.#failed(error),
    };
    this.#sender = new ProduceSender(this.#cluster, owner, this.#options, this.#logger);
    this.#sender.onProgress(() => this.#releaseRoomWaiters());
  }

  /** Where the producer is in its life. */
  get state(): BatchProducerState {
    return this.#state;
  }

  /** The producer id and epoch from InitProducerId (-1 before {@link connect}). */
  get identity(): ProducerIdentity {
    return this.#identity;
  }

  /** Connects and gets a producer id (InitProducerId); a transactional one fences older producers with its id. */
  async connect(): Promise<void> {
    if (this.#state !== 'created') return;
    await this.#cluster.connect();
    await this.#initProducerId();
    this.#state = 'ready';
  }

  /**
   * Buffers the records and resolves when all are acknowledged by every in-sync replica, with
   * the offset of the last record written per partition. Records of one partition are written
   * in call order. Rejects at once after a failure (the producer must be closed, or under a
   * transaction aborted). Never blocks: check {@link hasRoom} / {@link whenRoom} for back-pressure.
   */
  send(records: readonly OutgoingRecord[]): Promise<PartitionLastOffset[]> {
    const refusal = this.#refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    if (records.length === 0) return Promise.resolve([]);
    return this.#sender.append(records).promise;
  }

  /** Whether the buffer (records and bytes not yet acknowledged) is below its bounds. */
  hasRoom(): boolean {
    return this.#sender.bufferedRecords < this.#options.bufferMaxRecords && this.#sender.bufferedBytes < this.#options.bufferMaxBytes;
  }

  /** Resolves when {@link hasRoom} is true again (or the producer failed: the next send says why). */
  whenRoom(): Promise<void> {
    if (this.hasRoom() || this.#error !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Records and bytes buffered, not yet acknowledged. */
  get buffered(): { readonly records: number; readonly bytes: number } {
    return { records: this.#sender.bufferedRecords, bytes: this.#sender.bufferedBytes };
  }

  /** Sends everything buffered now (no linger) and resolves when all is acknowledged; rejects with a send failure. */
  async flush(): Promise<void> {
    await this.#sender.drain();
    if (this.#error !== undefined) throw this.#error;
  }

  /** Starts a transaction (transactional producers). */
  beginTransaction(): void {
    this.#requireTransactional('beginTransaction');
    if (this.#state !== 'ready') throw this.#refusal() ?? new KafkaProtocolError(`beginTransaction() while the producer is ${this.#state}: commit or abort the open transaction first.`);
    this.#transactionHasData = false;
    this.#state = 'in-transaction';
  }

  /**
   * Adds the consumer's offsets (next offsets to read) to the transaction: AddOffsetsToTxn, then
   * TxnOffsetCommit v3 with the group metadata, so a stale generation or member is refused
   * (`GroupFencedError`) and the offsets become visible only if the transaction commits.
   */
  async sendOffsetsToTransaction(offsets: readonly TxnOffset[], group: ConsumerGroupMetadata): Promise<void> {
    this.#requireInTransaction('sendOffsetsToTransaction');
    if (offsets.length === 0) return;
    try {
      await this.#coordinator.sendOffsets(this.#identity, group, offsets, () => (this.#transactionHasData = true));
    } catch (error) {
      this.#failed(error as Error);
      throw error;
    }
  }

  /** Flushes, then commits the transaction (EndTxn). On failure the transaction must be aborted, or the producer closed if fenced. */
  async commitTransaction(): Promise<void> {
    this.#requireInTransaction('commitTransaction');
    await this.flush();
    try {
      if (this.#transactionHasData) await this.#coordinator.endTransaction(this.#identity, true);
    } catch (error) {
      this.#failed(error as Error);
      throw error;
    }
    this.#endTransaction();
  }

  /**
   * Aborts the transaction: fails unsent records, waits for in-flight requests, sends
   * EndTxn(abort). After a send failure the producer also takes a new epoch (sequences restart).
   */
  async abortTransaction(): Promise<void> {
    this.#requireTransactional('abortTransaction');
    if (this.#state !== 'in-transaction' && this.#state !== 'abortable') throw this.#refusal() ?? new KafkaProtocolError(`abortTransaction() while the producer is ${this.#state}: no transaction is open.`);
    this.#sender.discardUnsent(new KafkaProtocolError('The transaction was aborted before these records were sent.'));
    await this.#sender.idle();
    try {
      if (this.#transactionHasData) await this.#coordinator.endTransaction(this.#identity, false);
      if (this.#needsNewEpoch) await this.#initProducerId();
    } catch (error) {
      this.#failed(error as Error);
      throw error;
    }
    this.#error = undefined;
    this.#endTransaction();
  }

  /** Flushes what it can, then closes the connections. Idempotent. */
  disconnect(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }

  async #close(): Promise<void> {
    if (this.#state === 'ready' || this.#state === 'in-transaction') await this.flush().catch(() => undefined);
    this.#state = 'closed';
    this.#sender.stop();
    this.#releaseRoomWaiters(true);
    await this.#cluster.disconnect();
  }

  async #initProducerId(): Promise<void> {
    this.#identity = await this.#coordinator.initProducerId();
    this.#sender.resetPartitions({ sequences: true });
    this.#needsNewEpoch = false;
    this.#logger.info(`Producer ${this.#options.transactionalId ?? '(idempotent)'} has id ${this.#identity.producerId} epoch ${this.#identity.producerEpoch}`);
  }

  #endTransaction(): void {
    this.#sender.resetPartitions({ sequences: false });
    this.#transactionHasData = false;
    this.#state = 'ready';
  }

  #failed(error: Error): void {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    const fenced = error instanceof ProducerFencedProtocolError;
    const abortable = this.#options.transactionalId !== null && !fenced;
    this.#error = error;
    this.#state = abortable ? 'abortable' : 'failed';
    this.#needsNewEpoch = true;
    this.#logger.error(`Producer ${this.#options.transactionalId ?? '(idempotent)'} ${abortable ? 'must abort its transaction' : 'stopped'}: ${error.message}`);
    this.#sender.discardUnsent(error);
    this.#releaseRoomWaiters(true);
  }

  #refusal(): Error | undefined {
    if (this.#state === 'closed') return new KafkaProtocolError('The producer is closed: create a new BatchProducer.');
    if (this.#state === 'created') return new KafkaProtocolError('The producer is not connected: call connect() first.');
    if (this.#error !== undefined) return this.#error;
    if (this.#options.transactionalId !== null && this.#state !== 'in-transaction') {
      return new KafkaProtocolError(`Producer "${this.#options.transactionalId}" is transactional: call beginTransaction() before sending.`);
    }
    return undefined;
  }

  #requireTransactional(operation: string): void {
    if (this.#options.transactionalId === null) throw new KafkaProtocolError(`${operation}() needs a transactional producer: create the BatchProducer with { transactionalId }.`);
  }

  #requireInTransaction(operation: string): void {
    this.#requireTransactional(operation);
    if (this.#state !== 'in-transaction') throw this.#refusal() ?? new KafkaProtocolError(`${operation}() while the producer is ${this.#state}: call beginTransaction() first.`);
  }

  #releaseRoomWaiters(all = false): void {
    if (!all && !this.hasRoom()) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
