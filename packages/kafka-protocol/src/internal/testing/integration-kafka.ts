import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { kafkajsProducerCluster, type KafkajsBroker } from '../kafkajs-producer-cluster.js';

/** A read message with its partition. */
export type ReadMessage = KafkaMessage & { readonly partition: number };

/** A kafkajs client on the test broker. */
export function testKafka(): Kafka {
  return new Kafka({ clientId: uniqueTopicName('kafka-protocol'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
}

/** Creates a topic and waits for its leaders. */
export async function createTopic(kafka: Kafka, options: { partitions: number; configs?: Record<string, string> }): Promise<string> {
  const topic = uniqueTopicName('kafka-protocol');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: options.partitions, replicationFactor: 1, configEntries }] });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/**
 * Reads the topic from the beginning with a kafkajs consumer (read_committed unless told
 * otherwise) until `until` says the messages are complete; fails after `timeoutMs`.
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  until: (messages: readonly ReadMessage[]) => boolean,
  options: { readUncommitted?: boolean; timeoutMs?: number } = {},
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueTopicName('reader'), readUncommitted: options.readUncommitted ?? false, maxWaitTimeInMs: 200 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) messages.push({ ...message, partition: batch.partition });
        if (until(messages)) done();
      },
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Reading ${topic}: only ${messages.length} messages after ${timeoutMs} ms`)), timeoutMs)));
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** A consumer group member of our own (JoinGroup + SyncGroup on kafkajs' broker layer), for KIP-447 tests. */
export async function joinGroup(kafka: Kafka, groupId: string): Promise<{ generationId: number; memberId: string; leave(): Promise<void> }> {
  const cluster = kafkajsProducerCluster(kafka);
  await cluster.connect();
  const coordinator = (await cluster.coordinator(groupId, 'GROUP')) as KafkajsBroker & GroupBroker;
  const join = (memberId: string) =>
    coordinator.joinGroup({ groupId, sessionTimeout: 30_000, rebalanceTimeout: 10_000, memberId, groupProtocols: [{ name: 'range', metadata: Buffer.alloc(0) }] });
  let joined: { generationId: number; memberId: string };
  try {
    joined = await join('');
  } catch (error) {
    const memberId = (error as { memberId?: string }).memberId;
    if (memberId === undefined) throw error;
    joined = await join(memberId);
  }
  await coordinator.syncGroup({ groupId, generationId: joined.generationId, memberId: joined.memberId, groupAssignment: [{ memberId: joined.memberId, memberAssignment: Buffer.alloc(0) }] });
  return {
    generationId: joined.generationId,
    memberId: joined.memberId,
    async leave() {
      await coordinator.leaveGroup({ groupId, memberId: joined.memberId }).catch(() => undefined);
      await cluster.disconnect();
    },
  };
}

interface GroupBroker {
  joinGroup(request: object): Promise<{ generationId: number; memberId: string }>;
  syncGroup(request: object): Promise<unknown>;
  leaveGroup(request: object): Promise<unknown>;
}
