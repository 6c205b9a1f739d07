/**
 * @kstreams/kafka-protocol: what kstreams owns of the Kafka wire protocol — RecordBatch v2,
 * Produce v8, TxnOffsetCommit v3 — and an idempotent, transactional batch producer that sends
 * them on kafkajs 2.2.4's broker connections.
 */
export { BatchProducer, type BatchProducerState, type OutgoingRecord } from './batch-producer.js';
export type { BatchProducerOptions } from './batch-producer-options.js';
export { KafkaProtocolRecordProducer, type RuntimeAcknowledgedOffset, type RuntimeProducerRecord } from './kafka-protocol-record-producer.js';
export { KafkaProtocolError, ProducerFencedProtocolError, GroupFencedError, type KafkaProtocolErrorOptions } from './kafka-protocol-error.js';
export { kafkaErrorCode, kafkaErrorCodeOf, type KafkaErrorCode } from './kafka-error-codes.js';
export { RecordBatchBuilder, RECORD_BATCH_HEADER_SIZE, type BatchIdentity, type BatchRecord, type BatchRecordHeader } from './record-batch-builder.js';
export {
  decodeProduceResponse,
  encodeProduceRequest,
  produceRequest,
  PRODUCE_API_KEY,
  PRODUCE_VERSION,
  type ProducePartitionData,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceResponse,
  type ProduceTopicData,
} from './produce-request.js';
export {
  decodeFetchResponse,
  encodeFetchRequest,
  fetchRequest,
  FETCH_API_KEY,
  FETCH_VERSION,
  type FetchAbortedTransaction,
  type FetchPartitionRequest,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
} from './fetch-request.js';
export { readRecordBatches, type ReadRecordBatches, type ReadRecordFactory, type ReadRecordHeader } from './record-batch-reader.js';
export {
  decodeOffsetFetchResponse,
  encodeOffsetFetchRequest,
  offsetFetchRequest,
  OFFSET_FETCH_API_KEY,
  OFFSET_FETCH_VERSION,
  UNSTABLE_OFFSET_COMMIT,
  type FetchedOffset,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
} from './offset-fetch-request.js';
export {
  decodeTxnOffsetCommitResponse,
  encodeTxnOffsetCommitRequest,
  txnOffsetCommitRequest,
  TXN_OFFSET_COMMIT_API_KEY,
  TXN_OFFSET_COMMIT_VERSION,
  type ConsumerGroupMetadata,
  type TxnOffset,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from './txn-offset-commit-request.js';
export { kafkajsProducerCluster, type CoordinatorType, type KafkajsBroker, type ProducerCluster } from './internal/kafkajs-producer-cluster.js';
export type { PartitionLastOffset } from './internal/producer-batch.js';
export type { ProducerIdentity } from './internal/transaction-coordinator.js';
export { crc32c } from './internal/crc32c.js';
