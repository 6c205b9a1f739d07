import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBrokers, uniqueTopicName } from './testing.js';

const { Kafka, Partitioners, logLevel, ConfigResourceTypes } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;
type Admin = ReturnType<Kafka['admin']>;

/** Consumes `topic` through a fresh consumer group until `last` arrives; returns the values seen. */
async function consumeUntil(kafka: Kafka, topic: string, last: string, readUncommitted = false): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueTopicName('group'), readUncommitted });
  await consumer.connect();
  const seen: string[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const value = message.value?.toString() ?? '';
            seen.push(value);
            if (value === last) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('the Kafka broker of the integration tests', () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'kafka-broker-integration', brokers: testBrokers(), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('does not create topics on its own', async () => {
    const cluster = await admin.describeCluster();
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(cluster.controller ?? cluster.brokers[0]?.nodeId), configNames: ['auto.create.topics.enable'] }],
      includeSynonyms: false,
    });
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('false');
  });

  it('creates a compacted topic and reports its cleanup.policy', async () => {
    const topic = uniqueTopicName('compacted');
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
  });

  it('delivers produced records in order to a consumer group, which commits its offsets', async () => {
    const topic = uniqueTopicName('plain');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const values = ['one', 'two', 'three', 'four', 'five'];
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: 'k', value })) });
    await producer.disconnect();

    const groupId = uniqueTopicName('group');
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.length === values.length) resolve();
        },
      });
    });
    await consumer.disconnect(); // commits the consumed offsets
    expect(seen).toEqual(values);
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets?.partitions).toEqual([{ partition: 0, offset: '5', metadata: null }]);
  });

  it('shows a read_committed consumer only the records of committed transactions', async () => {
    const topic = uniqueTopicName('transactional');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer({
      transactionalId: uniqueTopicName('txn'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    for (const [value, outcome] of [['committed-1', 'commit'], ['aborted', 'abort'], ['committed-2', 'commit']] as const) {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ value }] });
      await (outcome === 'commit' ? transaction.commit() : transaction.abort());
    }
    await producer.disconnect();

    expect(await consumeUntil(kafka, topic, 'committed-2')).toEqual(['committed-1', 'committed-2']);
    // The aborted record really is in the log: a read_uncommitted consumer sees it.
    expect(await consumeUntil(kafka, topic, 'committed-2', true)).toEqual(['committed-1', 'aborted', 'committed-2']);
  });
});
