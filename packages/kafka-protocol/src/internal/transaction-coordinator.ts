import { GroupFencedError, KafkaProtocolError, ProducerFencedProtocolError } from '../kafka-protocol-error.js';
import { isFencingCode } from '../kafka-error-codes.js';
import { txnOffsetCommitRequest, type ConsumerGroupMetadata, type TxnOffset } from '../txn-offset-commit-request.js';
import { withCoordinatorRetry } from './coordinator-retry.js';
import type { ProducerCluster } from './kafkajs-producer-cluster.js';

/** A producer id and epoch from InitProducerId. */
export interface ProducerIdentity {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** Codes of TxnOffsetCommit meaning the group generation or member is stale (KIP-447). */
const GROUP_FENCED_CODES = new Set([22, 25, 82]);
/** Codes of TxnOffsetCommit after which the failed partitions are sent again. */
const RETRIED_OFFSET_CODES = new Set([7, 13, 14, 15, 16, 51]);

/**
 * The transaction coordinator requests of one producer: InitProducerId, AddPartitionsToTxn,
 * AddOffsetsToTxn and EndTxn through kafkajs' broker methods (v1 of each, which Kafka 4.x
 * still serves), and TxnOffsetCommit v3 of our own encoding to the group coordinator.
 */
export class TransactionCoordinator {
  readonly #cluster: ProducerCluster;
  readonly #transactionalId: string | null;
  readonly #transactionTimeoutMs: number;
  readonly #retryTimeoutMs: number;

  constructor(cluster: ProducerCluster, options: { transactionalId: string | null; transactionTimeoutMs: number; retryTimeoutMs: number }) {
    this.#cluster = cluster;
    this.#transactionalId = options.transactionalId;
    this.#transactionTimeoutMs = options.transactionTimeoutMs;
    this.#retryTimeoutMs = options.retryTimeoutMs;
  }

  /** InitProducerId: a new id (idempotent) or the id with a bumped epoch, fencing older producers (transactional). */
  initProducerId(): Promise<ProducerIdentity> {
    return this.#retry('InitProducerId', async () => {
      const broker = await this.#transactionBroker();
      const { producerId, producerEpoch } = await broker.initProducerId({ transactionalId: this.#transactionalId, transactionTimeout: this.#transactionTimeoutMs });
      return { producerId: Number(producerId), producerEpoch };
    });
  }

  /** AddPartitionsToTxn for partitions written for the first time in this transaction. */
  async addPartitions(identity: ProducerIdentity, partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const topics = [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
    await this.#retry('AddPartitionsToTxn', async () => {
      const broker = await this.#transactionBroker();
      await broker.addPartitionsToTxn({ transactionalId: this.#requireTransactionalId(), ...identity, topics });
    });
  }

  /** AddOffsetsToTxn (then `added()`), then TxnOffsetCommit v3 with the consumer group metadata. */
  async sendOffsets(identity: ProducerIdentity, group: ConsumerGroupMetadata, offsets: readonly TxnOffset[], added: () => void): Promise<void> {
    const transactionalId = this.#requireTransactionalId();
    await this.#retry('AddOffsetsToTxn', async () => {
      const broker = await this.#transactionBroker();
      await broker.addOffsetsToTxn({ transactionalId, ...identity, groupId: group.groupId });
    });
    added();
    let pending = offsets;
    await this.#retry('TxnOffsetCommit', async () => {
      const broker = await this.#cluster.coordinator(group.groupId, 'GROUP');
      const response = await broker.connectionPool.send(txnOffsetCommitRequest({ transactionalId, ...identity, group, offsets: pending }));
      const failed = response.partitions.filter((entry) => entry.errorCode !== 0);
      const fatal = failed.find((entry) => !RETRIED_OFFSET_CODES.has(entry.errorCode));
      if (fatal !== undefined) throw this.#offsetError(group.groupId, fatal.errorCode);
      pending = pending.filter((offset) => failed.some((entry) => entry.topic === offset.topic && entry.partition === offset.partition));
      if (pending.length > 0) throw KafkaProtocolError.fromCode(failed[0]!.errorCode, `TxnOffsetCommit of group "${group.groupId}"`);
    });
  }

  /** EndTxn: commits or aborts the open transaction. */
  endTransaction(identity: ProducerIdentity, commit: boolean): Promise<void> {
    return this.#retry(commit ? 'EndTxn(commit)' : 'EndTxn(abort)', async () => {
      const broker = await this.#transactionBroker();
      await broker.endTxn({ transactionalId: this.#requireTransactionalId(), ...identity, transactionResult: commit });
    });
  }

  #offsetError(groupId: string, errorCode: number): Error {
    if (GROUP_FENCED_CODES.has(errorCode)) return new GroupFencedError(groupId, errorCode);
    if (isFencingCode(errorCode)) return new ProducerFencedProtocolError(this.#transactionalId, errorCode);
    return KafkaProtocolError.fromCode(errorCode, `TxnOffsetCommit of group "${groupId}"`);
  }

  async #transactionBroker() {
    if (this.#transactionalId === null) return this.#cluster.anyBroker();
    return this.#cluster.coordinator(this.#transactionalId, 'TRANSACTION');
  }

  #requireTransactionalId(): string {
    if (this.#transactionalId === null) throw new KafkaProtocolError('Transactions need a transactionalId: create the BatchProducer with { transactionalId }.');
    return this.#transactionalId;
  }

  #retry<Result>(description: string, operation: () => Promise<Result>): Promise<Result> {
    return withCoordinatorRetry(operation, { description, transactionalId: this.#transactionalId, timeoutMs: this.#retryTimeoutMs });
  }
}
