import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from './kafka-cluster.js';
import { isAlive } from './process-control.js';
import { uniqueTopicName } from './testing.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

// A three-node cluster is what the fault tests of later issues need; this proves it starts,
// survives losing a node, takes the node back, and leaves no JVM behind.
describe('KafkaCluster with three nodes', () => {
  let cluster: KafkaCluster;
  let pids: number[] = [];

  beforeAll(async () => {
    cluster = await KafkaCluster.start({ nodes: 3, heapMegabytes: 384 });
    pids = cluster.pids;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('replicates a topic on three brokers and keeps serving writes while one is down', async () => {
    expect(cluster.bootstrapServers).toHaveLength(3);
    const kafka = new Kafka({ clientId: 'three-nodes', brokers: cluster.bootstrapServers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await admin.connect();
    await producer.connect();
    try {
      const topic = uniqueTopicName('replicated');
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
        waitForLeaders: true,
      });
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(metadata?.partitions[0]?.replicas).toHaveLength(3);

      await producer.send({ topic, acks: -1, messages: [{ value: 'before' }] });
      await cluster.stopNode(3, { kill: true });
      await producer.send({ topic, acks: -1, messages: [{ value: 'while-down' }] });
      await cluster.startNode(3);
      await producer.send({ topic, acks: -1, messages: [{ value: 'after' }] });

      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets[0]?.high).toBe('3');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 180_000);

  // A killed JVM may linger as a zombie until reaped; isAlive() counts only live processes.
  it('stops every JVM', async () => {
    expect(pids.length).toBe(3);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
  }, 60_000);
});
