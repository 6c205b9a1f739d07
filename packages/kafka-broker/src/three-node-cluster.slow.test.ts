import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from './kafka-cluster.js';
import { isAlive } from './process-control.js';
import { uniqueTopicName } from './testing.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

/** Polls until `condition` holds (errors count as "not yet"); fails after 60 s. */
async function waitUntil(condition: () => Promise<boolean>, what = 'partition metadata'): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`The cluster did not reach the expected state within 60 s: ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

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
    // Generous retries: after a node dies, clients keep trying it until metadata moves on.
    const kafka = new Kafka({
      clientId: 'three-nodes',
      brokers: cluster.bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 20, maxRetryTime: 5_000 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await admin.connect();
    await producer.connect();
    try {
      const topic = uniqueTopicName('replicated');
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
      });
      // A new topic reaches every broker's metadata a moment apart; wait until all three replicas are in sync.
      await waitUntil(async () => {
        const [partition] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
        return partition !== undefined && partition.leader > 0 && partition.replicas.length === 3 && partition.isr.length === 3;
      }, 'three in-sync replicas of the new topic');

      await producer.send({ topic, acks: -1, messages: [{ value: 'before' }] });
      await cluster.stopNode(3, { kill: true });
      await waitUntil(async () => {
        const [partition] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
        return partition !== undefined && partition.leader !== 3 && !partition.isr.includes(3);
      }, 'leadership and the ISR leave the killed node');
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
