import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { type SASLOptions } from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** Options of {@link waitForKafka}. */
export interface WaitForKafkaOptions {
  /** Bootstrap servers, `host:port`. */
  brokers: readonly string[];
  /** How many brokers the metadata must list before the cluster counts as up. */
  expectedBrokerCount: number;
  /** Give up after this long (throws the last error seen). */
  timeoutMs: number;
  /** Stops waiting early, e.g. when a broker JVM exits. */
  signal?: AbortSignal;
  /** SASL login for a secured cluster's internal listener (kafkajs' shape). */
  sasl?: SASLOptions;
}

const SCRATCH_TOPIC = '__kstreams-broker-ready';

/**
 * Waits until the cluster really answers: the metadata lists every broker, and a record
 * produced (acks=all) to a scratch topic comes back through a consumer group, which also
 * brings up the group coordinator. Retries until the timeout; throws the last error.
 */
export async function waitForKafka(options: WaitForKafkaOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown = new Error('no attempt finished');
  await waitForPorts(options, deadline);
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    try {
      await roundTrip(options, deadline);
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  throw lastError;
}

async function roundTrip(options: WaitForKafkaOptions, deadline: number): Promise<void> {
  const kafka = new Kafka({
    clientId: 'kstreams-broker-readiness',
    brokers: [...options.brokers],
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < options.expectedBrokerCount) {
      throw new Error(`metadata lists ${cluster.brokers.length} of ${options.expectedBrokerCount} brokers`);
    }
    await admin.createTopics({
      topics: [{ topic: SCRATCH_TOPIC, numPartitions: 1, replicationFactor: Math.min(options.expectedBrokerCount, 3) }],
      waitForLeaders: true,
    });
    await produceAndConsume(kafka, deadline);
    await admin.deleteTopics({ topics: [SCRATCH_TOPIC] });
  } finally {
    await admin.disconnect();
  }
}

async function produceAndConsume(kafka: InstanceType<typeof Kafka>, deadline: number): Promise<void> {
  const marker = `ready-${process.pid}-${Date.now()}`;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: SCRATCH_TOPIC, acks: -1, messages: [{ value: marker }] });
  } finally {
    await producer.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `kstreams-broker-readiness-${marker}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: SCRATCH_TOPIC, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the round-trip record did not come back')), Math.max(1_000, deadline - Date.now()));
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.value?.toString() !== marker) return;
            clearTimeout(timer);
            resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

/** True when a TCP connection to `host:port` opens. */
function canConnect(address: string): Promise<boolean> {
  const separator = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: address.slice(0, separator), port: Number(address.slice(separator + 1)) });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Polls the client ports every 100 ms until they all accept connections (cheaper than kafkajs retries). */
async function waitForPorts(options: WaitForKafkaOptions, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const open = await Promise.all(options.brokers.map(canConnect));
    if (open.every(Boolean)) return;
    await sleep(100);
  }
}
