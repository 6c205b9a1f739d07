import { KafkaCluster, type KafkaClusterOptions } from './kafka-cluster.js';

/** A Kafka cluster to talk to: either the user's own (KAFKA_BROKERS) or one we started. */
export interface KafkaConnection extends AsyncDisposable {
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
  /** The cluster we started, or `undefined` when KAFKA_BROKERS named an external one. */
  cluster: KafkaCluster | undefined;
  /** Stops the cluster we started; never touches an external one. Idempotent. */
  close(): Promise<void>;
}

/** The bootstrap servers in `KAFKA_BROKERS` (comma-separated), or `undefined` when unset or empty. */
export function brokersFromEnvironment(environment = process.env): string[] | undefined {
  const brokers = (environment['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  return brokers.length > 0 ? brokers : undefined;
}

/**
 * Uses the cluster in `KAFKA_BROKERS` when set (and starts nothing), otherwise starts a local
 * one with the given options. Close the result (or `await using` it) to stop what was started.
 *
 * @example
 * ```ts
 * await using kafka = await useKafka();
 * const client = new Kafka({ brokers: kafka.brokers });
 * ```
 */
export async function useKafka(options: KafkaClusterOptions = {}): Promise<KafkaConnection> {
  const external = brokersFromEnvironment();
  const cluster = external === undefined ? await KafkaCluster.start(options) : undefined;
  const close = async (): Promise<void> => {
    await cluster?.stop();
  };
  return { brokers: external ?? cluster?.bootstrapServers ?? [], cluster, close, [Symbol.asyncDispose]: close };
}
