import { Headers } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationConfig, uniqueName, waitUntil } from '../internal/testing/integration-kafka.js';
import type { ConsumedRecord, GroupConsumer, KafkaAdmin, RebalanceEvent, RecordProducer, TopicPartition } from './kafka-client.js';
import { KafkajsClientFactory } from './kafkajs-client-factory.js';

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setup(topics: { [topic: string]: number }) {
  const config = integrationConfig();
  const factory = new KafkajsClientFactory(config);
  const admin: KafkaAdmin = factory.createAdmin();
  await admin.connect();
  closers.push(() => admin.disconnect());
  await admin.createTopics(Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })));
  const producer: RecordProducer = factory.createProducer();
  await producer.connect();
  closers.push(() => producer.disconnect());
  return { config, factory, admin, producer };
}

function startConsumer(consumer: GroupConsumer, topics: string[], received: ConsumedRecord[]): Promise<void> {
  closers.push(() => consumer.disconnect());
  return consumer.connect().then(() => consumer.subscribe(topics)).then(() =>
    consumer.run(async (batch) => {
      received.push(...batch.records);
    }),
  );
}

function records(topic: string, partition: number, count: number, start = 0) {
  return Array.from({ length: count }, (_, index) => ({
    topic,
    partition,
    key: Buffer.from(`k${start + index}`),
    value: Buffer.from(`v${start + index}`),
    headers: new Headers().add('origin', 'test'),
    timestamp: 1_000 + start + index,
  }));
}

describe('kafkajs adapter', () => {
  it('produces records and consumes them back with keys, values, headers and timestamps', async () => {
    const topic = uniqueName('adapter-roundtrip');
    const { config, factory, admin, producer } = await setup({ [topic]: 2 });
    expect(await admin.partitionCounts([topic, 'no-such-topic-here'])).toEqual(new Map([[topic, 2]]));
    await producer.send([...records(topic, 0, 3), ...records(topic, 1, 2, 3)]);
    const received: ConsumedRecord[] = [];
    await startConsumer(factory.createConsumer({ groupId: config.applicationId }), [topic], received);
    await waitUntil(() => received.length === 5, 'five records arrive');
    const first = received.find((record) => record.partition === 0 && record.offset === 0)!;
    expect([text(first.key), text(first.value), first.timestamp]).toEqual(['k0', 'v0', 1000]);
    expect(text(first.headers.lastHeader('origin')?.value ?? null)).toBe('test');
    expect((await admin.endOffsets(topic)).map((offset) => offset.offset).sort()).toEqual([2, 3]);
  });

  it('stops delivering a paused partition and resumes it', async () => {
    const topic = uniqueName('adapter-pause');
    const { config, factory, producer } = await setup({ [topic]: 2 });
    const consumer = factory.createConsumer({ groupId: config.applicationId });
    const paused: TopicPartition = { topic, partition: 0 };
    consumer.onRebalance((event) => {
      if (event.kind === 'assigned') consumer.pause([paused]);
    });
    const received: ConsumedRecord[] = [];
    await startConsumer(consumer, [topic], received);
    await producer.send([...records(topic, 0, 5), ...records(topic, 1, 5)]);
    await waitUntil(() => received.length === 5, 'partition 1 arrives');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received.every((record) => record.partition === 1)).toBe(true);
    expect(consumer.paused()).toEqual([paused]);
    consumer.resume([paused]);
    await waitUntil(() => received.length === 10, 'partition 0 arrives after resume');
  });

  it('commits offsets that a restarted member resumes from', async () => {
    const topic = uniqueName('adapter-commit');
    const { config, factory, admin, producer } = await setup({ [topic]: 1 });
    await producer.send(records(topic, 0, 10));
    const first = factory.createConsumer({ groupId: config.applicationId });
    const received: ConsumedRecord[] = [];
    await startConsumer(first, [topic], received);
    await waitUntil(() => received.length === 10, 'ten records arrive');
    await first.commitOffsets([{ topic, partition: 0, offset: 6 }]);
    expect(await admin.committedOffsets(config.applicationId, [topic])).toEqual([{ topic, partition: 0, offset: 6 }]);
    await first.disconnect();

    const second = factory.createConsumer({ groupId: config.applicationId });
    const again: ConsumedRecord[] = [];
    await startConsumer(second, [topic], again);
    await waitUntil(() => again.length === 4, 'the four uncommitted records arrive again');
    expect(again.map((record) => record.offset)).toEqual([6, 7, 8, 9]);
  });

  it('seeks a partition when it is assigned', async () => {
    const topic = uniqueName('adapter-seek');
    const { config, factory, producer } = await setup({ [topic]: 1 });
    await producer.send(records(topic, 0, 10));
    const consumer = factory.createConsumer({ groupId: config.applicationId });
    consumer.onRebalance((event) => {
      if (event.kind === 'assigned') consumer.seek({ topic, partition: 0, offset: 7 });
    });
    const received: ConsumedRecord[] = [];
    await startConsumer(consumer, [topic], received);
    await waitUntil(() => received.length === 3, 'records from offset 7 arrive');
    expect(received.map((record) => record.offset)).toEqual([7, 8, 9]);
  });

  it('keeps partition N of co-partitioned topics on one member when two members share the group', async () => {
    const left = uniqueName('adapter-left');
    const right = uniqueName('adapter-right');
    const { config, factory } = await setup({ [left]: 4, [right]: 4 });
    const assignments = new Map<string, readonly TopicPartition[]>();
    const members = [0, 1].map(() => factory.createConsumer({ groupId: config.applicationId, topicGroups: [[left, right]] }));
    members.forEach((member, index) =>
      member.onRebalance((event: RebalanceEvent) => {
        if (event.kind === 'assigned') assignments.set(String(index), event.partitions);
      }),
    );
    await Promise.all(members.map((member) => startConsumer(member, [left, right], [])));
    const balanced = (): boolean =>
      assignments.size === 2 && [...assignments.values()].every((partitions) => partitions.length === 4) && members.every((member) => member.assignment().length === 4);
    await waitUntil(balanced, 'both members hold four partitions', 45_000);
    for (const member of members) {
      const partitions = member.assignment();
      const of = (topic: string): number[] => partitions.filter((partition) => partition.topic === topic).map((partition) => partition.partition).sort();
      expect(of(left)).toHaveLength(2);
      expect(of(left)).toEqual(of(right));
    }
  });
});
