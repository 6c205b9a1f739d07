import type { MeterProvider } from '@opentelemetry/api';
import kafkajs from 'kafkajs';
import { KafkaStreams, lmdbBackend, type MetricsRecordingLevel } from 'kstreams';
import { createTopics, endedInError } from 'kstreams-sample-kit';
import { orderServiceTopology, type OrderServiceTopics } from './order-service-topology.js';

/** The order service's topics plus the dead-letter topic of undeserializable input records. */
export interface OrderServiceAppTopics extends OrderServiceTopics {
  /** Raw records that are not JSON or not the expected shape, with KIP-1034 error headers. */
  readonly undeserializable: string;
}

/** The default topic names. */
export const ORDER_SERVICE_TOPICS: OrderServiceAppTopics = {
  orders: 'orders',
  payments: 'payments',
  stock: 'stock',
  orderStatus: 'order-status',
  deadLetters: 'order-dlq',
  undeserializable: 'order-dlq-undeserializable',
};

/** How to run the order service. */
export interface OrderServiceOptions {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly topics: OrderServiceAppTopics;
  readonly stateDir: string;
  /** Partitions of every topic (the three inputs must match). Default 3. */
  readonly partitions?: number;
  readonly meterProvider?: MeterProvider;
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
  readonly log?: (line: string) => void;
}

/** A running order service. */
export interface RunningOrderService {
  readonly streams: KafkaStreams;
  /** Rejects when KafkaStreams ends in ERROR; never resolves. */
  readonly failed: Promise<never>;
  close(): Promise<void>;
}

/**
 * Creates the topics and starts the order service: the two outer joins of
 * `orderServiceTopology` (LMDB join stores, changelogged) under exactly-once v2, so order
 * statuses, dead letters, store changelogs and input offsets commit in one transaction; input
 * records that cannot be deserialized go to `topics.undeserializable`.
 */
export async function startOrderService(options: OrderServiceOptions): Promise<RunningOrderService> {
  const log = options.log ?? (() => {});
  const admin = new kafkajs.Kafka({ clientId: `${options.applicationId}-admin`, brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const partitions = options.partitions ?? 3;
    await createTopics(admin, Object.values(options.topics).map((topic) => ({ topic, partitions })));
  } finally {
    await admin.disconnect();
  }
  const streams = new KafkaStreams(orderServiceTopology(options.topics, lmdbBackend()), {
    applicationId: options.applicationId,
    bootstrapServers: options.brokers,
    stateDir: options.stateDir,
    processingGuarantee: 'exactly_once_v2',
    dlqTopic: options.topics.undeserializable,
    ...(options.meterProvider === undefined ? {} : { meterProvider: options.meterProvider }),
    ...(options.metricsRecordingLevel === undefined ? {} : { metricsRecordingLevel: options.metricsRecordingLevel }),
  });
  streams.onStateChange((next, previous) => log(`KafkaStreams ${options.applicationId}: ${previous} -> ${next}`));
  const failed = endedInError(streams, options.applicationId);
  await streams.start();
  return {
    streams,
    failed,
    close: async () => {
      if (!(await streams.close({ timeoutMs: 15_000 }))) log('KafkaStreams did not close within 15 s.');
    },
  };
}
