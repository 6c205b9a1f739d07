import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamsApplicationAcls } from './acls.js';
import { KafkaCluster } from './kafka-cluster.js';
import { uniqueTopicName } from './testing.js';

const { Kafka, logLevel } = kafkajs;
type Kafka = InstanceType<typeof Kafka>;

const app = { name: 'app', password: 'app-Secret-9d8e' };
const other = { name: 'other', password: 'other-Secret-4c1b' };

/** Produces one record to `topic` and reads it back through a consumer group named `group`. */
async function roundTrip(kafka: Kafka, topic: string, group: string): Promise<string> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ value: `hello ${topic}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<string>((resolve, reject) => {
      consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function failure(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to fail');
}

// Three nodes: inter-broker replication and the controller quorum run over the INTERNAL SASL
// listener, so this also proves the brokers authenticate to each other.
describe('KafkaCluster with secured listeners on three nodes', () => {
  let cluster: KafkaCluster;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    cluster = await KafkaCluster.start({ nodes: 3, heapMegabytes: 384, security: { listeners: ['SSL', 'SASL_SSL', 'SASL_PLAINTEXT'], users: [app, other] } });
    admin = new Kafka({ clientId: 'secured-admin', ...cluster.connectionSettings(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  }, 60_000);

  it('serves a user over SASL_SSL (SCRAM-SHA-512) and SASL_PLAINTEXT (PLAIN) with the ACLs of a Streams application', async () => {
    const topic = uniqueTopicName('secured');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: false });
    await cluster.createAcls(streamsApplicationAcls({ user: app.name, applicationId: topic, inputTopics: [], outputTopics: [] }));
    for (const listener of ['SASL_SSL', 'SASL_PLAINTEXT'] as const) {
      const settings = cluster.connectionSettings({ listener, user: app.name });
      expect(settings.brokers).toHaveLength(3);
      const kafka = new Kafka({ clientId: 'secured-app', ...settings, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
      expect(await roundTrip(kafka, topic, `${topic}-${listener}`)).toBe(`hello ${topic}`);
    }
  }, 120_000);

  it('refuses a user without ACLs, a wrong password and a client that does not trust the local CA', async () => {
    const topic = uniqueTopicName('denied');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: false });
    const denied = new Kafka({ clientId: 'secured-other', ...cluster.connectionSettings({ listener: 'SASL_SSL', user: other.name }), logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const producer = denied.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const refused = await failure(() => producer.send({ topic, messages: [{ value: 'x' }] }));
    await producer.disconnect();
    expect(`${refused.message} ${String((refused as { cause?: Error }).cause?.message)}`).toMatch(/Not authorized to access topics/);

    const wrongPassword = new Kafka({ ...cluster.connectionSettings({ listener: 'SASL_SSL', user: app.name, password: 'wrong-password' }), logLevel: logLevel.NOTHING }).admin();
    expect((await failure(() => wrongPassword.connect())).name).toBe('KafkaJSSASLAuthenticationError');

    const { brokers } = cluster.connectionSettings({ listener: 'SSL' });
    const untrusting = new Kafka({ brokers, ssl: true, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 0 } }).admin();
    expect((await failure(() => untrusting.connect())).message).toMatch(/self[- ]signed|certificate/i);
    const trusting = new Kafka({ ...cluster.connectionSettings({ listener: 'SSL' }), logLevel: logLevel.NOTHING }).admin();
    await trusting.connect();
    // TLS alone authenticates nobody: the anonymous principal sees no topic.
    expect(await trusting.listTopics()).toEqual([]);
    await trusting.disconnect();
  }, 120_000);
});
