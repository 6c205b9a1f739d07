import { ProducerFencedError } from '@kstreams/core';
import { GroupFencedError } from '@kstreams/kafka-protocol';
import type { Logger } from './internal/engine-ports.js';
import type { AcknowledgedOffset, GroupMetadata, OffsetToCommit, ProducerRecord, RecordProducer, StreamConsumer, TransactionalProducer } from './kafka/kafka-client.js';
import type { TaskCommitter } from './task-manager.js';

/** What an {@link ExactlyOnceCommitter} is built from. */
export interface ExactlyOnceCommitterOptions {
  /** Creates the thread's transactional producer (again after it was fenced). */
  readonly createProducer: () => TransactionalProducer;
  /** The thread's collector: `flush()` waits for every send of the transaction. */
  readonly collector: { flush(): Promise<void> };
  /** The thread's consumer: its generation, member id and group instance id join each commit. */
  readonly consumer: () => Pick<StreamConsumer, 'identity'>;
  readonly groupId: string;
  readonly logger: Logger;
}

/**
 * The exactly-once (`exactly_once_v2`) commit path of one stream thread: one transactional
 * producer for all its tasks. A transaction begins lazily with the first send after a commit;
 * a commit flushes the collector, adds the input offsets (with partition-time metadata) to the
 * transaction with the consumer's group metadata (KIP-447: a zombie's stale generation is
 * refused), then commits. It is also the collector's {@link RecordProducer}.
 */
export class ExactlyOnceCommitter implements TaskCommitter, RecordProducer {
  readonly #options: ExactlyOnceCommitterOptions;
  #producer: TransactionalProducer;
  #connected = false;
  #failure: unknown;

  constructor(options: ExactlyOnceCommitterOptions) {
    this.#options = options;
    this.#producer = options.createProducer();
  }

  /** True while a transaction is open (records were sent since the last commit or abort). */
  get inTransaction(): boolean {
    return this.#producer.state === 'in-transaction' || this.#producer.state === 'abortable';
  }

  /** Connects the producer: InitProducerId fences (and aborts the transaction of) any older producer with its id. */
  async connect(): Promise<void> {
    await this.#producer.connect();
    this.#connected = true;
  }

  /** Sends inside the current transaction, beginning one first when none is open. */
  send(records: readonly ProducerRecord[]): Promise<readonly AcknowledgedOffset[]> {
    if (this.#producer.state === 'ready') this.#producer.beginTransaction();
    return this.#producer.send(records);
  }

  /** The error of a failed flush or commit, until {@link abort}: the transaction must be aborted and every task reset. */
  get failure(): unknown {
    return this.#failure;
  }

  async flush(): Promise<void> {
    try {
      await this.#options.collector.flush();
    } catch (error) {
      this.#failure ??= error;
      throw error;
    }
  }

  /** Adds the offsets to the transaction and commits it (a transaction with offsets only is begun here). */
  async commitOffsets(offsets: readonly OffsetToCommit[]): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      if (!this.inTransaction) {
        if (offsets.length === 0) return;
        this.#producer.beginTransaction();
      }
      if (offsets.length > 0) await this.#producer.sendOffsetsToTransaction(offsets, this.#groupMetadata());
      await this.#producer.commitTransaction();
    } catch (error) {
      this.#failure ??= error;
      throw error;
    }
  }

  /**
   * Aborts the open transaction so nothing of it becomes visible. A fenced producer (or one whose
   * abort fails) is replaced by a new one: its InitProducerId takes a fresh epoch.
   */
  async abort(): Promise<void> {
    this.#failure = undefined;
    if (this.#producer.state === 'in-transaction' || this.#producer.state === 'abortable') {
      try {
        await this.#producer.abortTransaction();
        return;
      } catch (error) {
        this.#options.logger.warn('Aborting the transaction failed; replacing the transactional producer.', { error });
      }
    }
    if (this.#producer.state === 'ready') return;
    await this.#producer.disconnect().catch(() => undefined);
    this.#producer = this.#options.createProducer();
    if (this.#connected) await this.#producer.connect();
  }

  /** Aborts what is open and closes the producer. */
  async disconnect(): Promise<void> {
    if (this.inTransaction) await this.#producer.abortTransaction().catch(() => undefined);
    await this.#producer.disconnect();
  }

  #groupMetadata(): GroupMetadata {
    const { generationId, memberId, groupInstanceId } = this.#options.consumer().identity();
    return { groupId: this.#options.groupId, generationId, memberId, groupInstanceId };
  }
}

/** True for the errors of a zombie: another producer took the transactional id, or the group moved on. */
export function isFencingError(error: unknown): boolean {
  return error instanceof ProducerFencedError || error instanceof GroupFencedError;
}
