/**
 * @kstreams/runtime: runs kstreams topologies against Kafka (kafkajs 2.2.4): KafkaStreams, the
 * consumer loop and task manager, the record collector, commits, rebalances and the lifecycle.
 */
export { KafkaStreams, type StreamThreadExceptionResponse, type StreamThreadState, type ThreadMetadata, type TopologySource, type UncaughtExceptionHandler } from './kafka-streams.js';
export {
  StreamsConfig,
  type ConsumerTuningOptions,
  type KafkaClientOptions,
  type ProcessingGuarantee,
  type StreamsConfigOptions,
} from './streams-config.js';
export { resolveSecurity, type ResolvedSecurity, type StreamsSaslOptions, type StreamsSslOptions } from './security-config.js';
export { REDACTED, redact, redactingLogger, secretValues } from './redaction.js';
export {
  AuthenticationError,
  AuthorizationError,
  classifySecurityError,
  isKafkaSecurityFailure,
  isSecurityError,
  requiredAclFor,
  type AuthorizationResource,
  type SecurityErrorContext,
} from './auth-errors.js';
export { securityErrorContext } from './security-error-context.js';
export { explainCoordinatorFailure, probeCoordinator, type CoordinatorKey } from './kafka/coordinator-authorization.js';
export {
  KafkaStreamsStateMachine,
  VALID_TRANSITIONS,
  hasCompletedShutdown,
  isRunningOrRebalancing,
  type KafkaStreamsState,
  type StateListener,
} from './kafka-streams-state.js';
export { DefaultPartitioner, murmur2, partitionForKey, toPositive } from './default-partitioner.js';
export { productionHandlers, type ProductionExceptionHandler, type ProductionHandlerContext } from './production-exception-handler.js';
export { KafkaRecordCollector, type KafkaRecordCollectorOptions } from './kafka-record-collector.js';
export { TopicPartitionCounts } from './topic-partition-counts.js';
export { TaskManager, type TaskCommitter, type TaskManagerOptions, type TaskMetadata } from './task-manager.js';
export { ActiveTask, type ActiveTaskOptions } from './active-task.js';
export type { Task, TaskLifecycleState } from './task.js';
export { PROCESS_LOCK_FILE_NAME, StateDirectory, type StateDirectoryOptions } from './state-directory.js';
export {
  DEFAULT_WINDOWSTORE_CHANGELOG_ADDITIONAL_RETENTION_MS,
  changelogTopicName,
  checkInternalTopicPartitions,
  internalTopics,
  patternMatchedTopics,
  subtopologyPartitionCount,
  type InternalTopicsOptions,
} from './internal-topics.js';
export { changelogHooks, instanceCacheBudget } from './changelog-hooks.js';
export { TaskReadiness } from './task-readiness.js';
export { StandbyTask } from './standby-task.js';
export { TaskRestoration, type ChangelogContext } from './task-restoration.js';
export { KafkajsChangelogReader, type KafkajsChangelogReaderOptions } from './kafka/kafkajs-changelog-reader.js';
export type {
  AcknowledgedOffset,
  ChangelogReaderClient,
  ConsumedBatch,
  ConsumedRecord,
  ClusterTopics,
  CommittedOffsetAndMetadata,
  ConsumerAssignment,
  ConsumerRebalanceListener,
  GroupMemberAssignment,
  GroupMemberSubscription,
  KafkaAdmin,
  KafkaClientFactory,
  NewTopic,
  ProducerRecord,
  OffsetToCommit,
  RecordProducer,
  StreamConsumer,
  StreamConsumerOptions,
  TopicPartition,
  TopicPartitionOffset,
} from './kafka/kafka-client.js';
export { KafkajsClientFactory, kafkajsLogCreator } from './kafka/kafkajs-client-factory.js';
export { KafkajsStreamConsumer } from './kafka/group/kafkajs-stream-consumer.js';
export { GroupCoordinatorClient, type CommittedOffset, type MemberIdentity, type OffsetAndMetadata } from './kafka/group/group-coordinator-client.js';
export { createPrivateCluster, type InternalCluster } from './kafka/kafkajs-private-cluster.js';
export { GroupMember, type GroupMemberOptions, type RebalanceListener, type RebalanceProtocol } from './kafka/group/group-member.js';
export { StreamsAssignor, type DecodedAssignment, type MemberState, type StreamsAssignorOptions } from './internal/streams-assignor.js';
export type { StateRestoreListener } from '@kstreams/changelog';
export { RuntimeMetrics, taskCounts, type RuntimeThreadView, type RuntimeView } from './runtime-metrics.js';
export { ThreadRuntimeMetrics, type FetchedBatch } from './thread-runtime-metrics.js';
export { QueryableStoreTypes, type QueryableStoreKind, type QueryableStoreType, type StoreQueryParameters } from './interactive-queries/queryable-store-types.js';
export {
  InvalidStateStorePartitionError,
  StateStoreMigratedError,
  StateStoreNotAvailableError,
  StreamsNotStartedError,
  UnknownStateStoreError,
} from './interactive-queries/invalid-state-store-errors.js';
export {
  KEY_QUERY_METADATA_NOT_AVAILABLE,
  STREAMS_METADATA_NOT_AVAILABLE,
  UNAVAILABLE_HOST,
  isUnavailable,
  type HostInfo,
  type KeyQueryMetadata,
  type StreamsMetadata,
} from './interactive-queries/streams-metadata.js';
export { StreamsMetadataState, type KeyPartitioning, type StreamsMetadataStateOptions } from './interactive-queries/streams-metadata-state.js';
