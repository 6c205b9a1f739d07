import type { Kafka } from 'kafkajs';
import { KafkaProtocolError } from '../kafka-protocol-error.js';
import type { KafkajsProtocolRequest } from './kafkajs-request.js';

/** The parts of kafkajs 2.2.4's internal `Broker` we use. */
export interface KafkajsBroker {
  readonly nodeId: number | string | null;
  readonly connectionPool: { send<Response>(request: KafkajsProtocolRequest<Response>): Promise<Response> };
  initProducerId(request: { transactionalId: string | null; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: { transactionalId: string; producerId: number; producerEpoch: number; topics: { topic: string; partitions: number[] }[] }): Promise<unknown>;
  addOffsetsToTxn(request: { transactionalId: string; producerId: number; producerEpoch: number; groupId: string }): Promise<unknown>;
  endTxn(request: { transactionalId: string; producerId: number; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
}

/** The parts of kafkajs 2.2.4's internal `Cluster` we use. */
export interface KafkajsInternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): { [nodeId: string]: number[] };
  findBroker(options: { nodeId: string }): Promise<KafkajsBroker>;
  findGroupCoordinator(options: { groupId: string; coordinatorType: number }): Promise<KafkajsBroker>;
  getNodeIds(): number[];
}

/** Coordinator kinds of FindCoordinator. */
export type CoordinatorType = 'GROUP' | 'TRANSACTION';
const COORDINATOR_TYPES: Readonly<Record<CoordinatorType, number>> = { GROUP: 0, TRANSACTION: 1 };

type CreateCluster = (options: { allowAutoTopicCreation: boolean; instrumentationEmitter: null; maxInFlightRequests: null }) => KafkajsInternalCluster;

/**
 * What the producer needs from the cluster: metadata (leaders), sending our own requests on a
 * broker's connection, and coordinators. Backed by a private kafkajs `Cluster` (its own
 * connections, SASL/SSL and metadata handling); an interface so tests can wrap it.
 */
export interface ProducerCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Makes the topics' metadata known (fails for a topic that does not exist). */
  ensureTopics(topics: readonly string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  /** The node leading the partition per the cached metadata; undefined when unknown. */
  leaderOf(topic: string, partition: number): number | undefined;
  /** Sends one request on the node's (pipelined) connection. */
  send<Response>(nodeId: number, request: KafkajsProtocolRequest<Response>): Promise<Response>;
  /** The coordinator broker for a group id or a transactional id (FindCoordinator). */
  coordinator(key: string, type: CoordinatorType): Promise<KafkajsBroker>;
  /** Any connected broker (InitProducerId of an idempotent producer goes anywhere). */
  anyBroker(): Promise<KafkajsBroker>;
}

/**
 * Creates a private kafkajs `Cluster` through the factory kafkajs 2.2.4 keeps on the `Kafka`
 * instance under a private symbol (as the runtime's changelog reader does). Metadata for
 * unknown topics is never auto-created.
 */
export function kafkajsProducerCluster(kafka: Kafka): ProducerCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((candidate) => candidate.description === 'private:Kafka:createCluster');
  const createCluster = symbol === undefined ? undefined : (kafka as unknown as { [key: symbol]: unknown })[symbol];
  if (typeof createCluster !== 'function') {
    throw new KafkaProtocolError('kafkajs has no private cluster factory: @kstreams/kafka-protocol needs kafkajs 2.2.4 exactly. Pin kafkajs to 2.2.4.');
  }
  const cluster = (createCluster as CreateCluster)({ allowAutoTopicCreation: false, instrumentationEmitter: null, maxInFlightRequests: null });
  return new KafkajsProducerCluster(cluster);
}

class KafkajsProducerCluster implements ProducerCluster {
  readonly #cluster: KafkajsInternalCluster;
  readonly #knownTopics = new Set<string>();
  readonly #brokers = new Map<number, KafkajsBroker>();

  constructor(cluster: KafkajsInternalCluster) {
    this.#cluster = cluster;
  }

  connect(): Promise<void> {
    return this.#cluster.connect();
  }

  disconnect(): Promise<void> {
    this.#brokers.clear();
    return this.#cluster.disconnect();
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((topic) => !this.#knownTopics.has(topic));
    if (missing.length === 0) return;
    await this.#cluster.addMultipleTargetTopics(missing);
    for (const topic of missing) this.#knownTopics.add(topic);
  }

  async refreshMetadata(): Promise<void> {
    this.#brokers.clear();
    await this.#cluster.refreshMetadata();
  }

  leaderOf(topic: string, partition: number): number | undefined {
    if (!this.#knownTopics.has(topic)) return undefined;
    let leaders: { [nodeId: string]: number[] };
    try {
      leaders = this.#cluster.findLeaderForPartitions(topic, [partition]);
    } catch {
      return undefined; // metadata not loaded yet
    }
    const nodeId = Object.keys(leaders)[0];
    return nodeId === undefined ? undefined : Number(nodeId);
  }

  async send<Response>(nodeId: number, request: KafkajsProtocolRequest<Response>): Promise<Response> {
    let broker = this.#brokers.get(nodeId);
    if (broker === undefined) {
      broker = await this.#cluster.findBroker({ nodeId: String(nodeId) });
      this.#brokers.set(nodeId, broker);
    }
    return broker.connectionPool.send(request);
  }

  coordinator(key: string, type: CoordinatorType): Promise<KafkajsBroker> {
    return this.#cluster.findGroupCoordinator({ groupId: key, coordinatorType: COORDINATOR_TYPES[type] });
  }

  async anyBroker(): Promise<KafkajsBroker> {
    const nodeIds = this.#cluster.getNodeIds();
    if (nodeIds.length === 0) await this.#cluster.refreshMetadata();
    const nodeId = this.#cluster.getNodeIds()[0];
    if (nodeId === undefined) throw new KafkaProtocolError('The cluster metadata lists no broker', { retriable: true });
    return this.#cluster.findBroker({ nodeId: String(nodeId) });
  }
}
