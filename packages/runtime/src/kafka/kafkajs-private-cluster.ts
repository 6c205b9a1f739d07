import type { Kafka } from 'kafkajs';

/** kafkajs' isolation level for read_committed. */
export const READ_COMMITTED = 1;

/** A kafkajs protocol request as `lookupRequest` builds it. */
export interface ProtocolRequest {
  readonly request: { readonly apiKey: number; readonly apiName: string };
  readonly logResponseError?: boolean;
}

/** The parts of kafkajs 2.2.4's internal `Broker` the runtime relies on. */
export interface InternalBroker {
  readonly nodeId: number | string | null;
  readonly connectionPool: { send<T>(request: ProtocolRequest): Promise<T> };
  lookupRequest(apiKey: number, definitions: unknown): (args: object) => ProtocolRequest;
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: InternalFetchedPartition[] }[] }>;
}

/** One partition of a decoded kafkajs fetch response. */
export interface InternalFetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly lastStableOffset: string;
  readonly abortedTransactions: readonly { readonly producerId: string; readonly firstOffset: string }[];
  readonly messages: readonly InternalMessage[];
}

/** A decoded record of a fetch response (kafkajs 2.2.4 fields), with its headers. */
export interface InternalMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly batchContext: {
    readonly firstOffset: string;
    readonly lastOffsetDelta: number;
    readonly producerId: string;
    readonly inTransaction: boolean;
    readonly isControlBatch: boolean;
  };
  readonly headers?: { [key: string]: Buffer | Buffer[] | undefined };
}

/** The parts of kafkajs 2.2.4's internal `Cluster` the runtime relies on. */
export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  metadata(options?: { topics?: string[] }): Promise<{ topicMetadata: { topic: string; partitionMetadata: { partitionId: number; leader: number }[] }[] }>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): { [nodeId: string]: number[] };
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(options: { nodeId: string }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string; coordinatorType?: number }): Promise<InternalBroker>;
  fetchTopicsOffset(topics: { topic: string; partitions: { partition: number }[]; fromBeginning: boolean }[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean; isolationLevel: number; instrumentationEmitter: null; maxInFlightRequests: null }) => InternalCluster;

/**
 * A private kafkajs `Cluster` (own connections, no consumer group of kafkajs') made through the
 * factory kafkajs 2.2.4 keeps on the `Kafka` instance under a private symbol, so it carries the
 * instance's brokers, TLS, SASL and retry settings. kafkajs is pinned exactly and frozen; a
 * missing factory fails loudly rather than degrading.
 */
export function createPrivateCluster(kafka: Kafka, options: { readonly listOffsetsIsolationLevel?: number } = {}): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((candidate) => candidate.description === 'private:Kafka:createCluster');
  const createCluster = symbol === undefined ? undefined : (kafka as unknown as { [key: symbol]: unknown })[symbol];
  if (typeof createCluster !== 'function') {
    throw new Error('kafkajs has no private cluster factory: kstreams needs kafkajs 2.2.4 exactly. Pin kafkajs to 2.2.4.');
  }
  return (createCluster as CreateCluster)({ allowAutoTopicCreation: false, isolationLevel: options.listOffsetsIsolationLevel ?? READ_COMMITTED, instrumentationEmitter: null, maxInFlightRequests: null });
}
