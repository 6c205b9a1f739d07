import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, Stores, StreamsError, Topology, type Processor } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { checkInternalTopicPartitions, internalTopics, patternMatchedTopics } from '../internal-topics.js';
import { integrationBrokers, integrationConfig, uniqueName } from '../internal/testing/integration-kafka.js';
import type { KafkaAdmin } from './kafka-client.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsClientFactory, kafkajsLogCreator } from './kafkajs-client-factory.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connectedAdmin(): Promise<KafkajsAdmin> {
  const admin = new KafkajsClientFactory(integrationConfig()).createAdmin() as KafkajsAdmin;
  await admin.connect();
  closers.push(() => admin.disconnect());
  return admin;
}

const noop = (): Processor<unknown, unknown, unknown, unknown> => ({ process: () => undefined });
const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.string() };

function countingTopology(source: { topics: string[] } | { pattern: RegExp }) {
  return Topology.untyped()
    .addSource('in', { ...source, ...serdes })
    .addProcessor('count', noop, 'in')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), ...serdes }), 'count')
    .build();
}

describe('KafkajsAdmin against a real broker', () => {
  it('names the topic, the broker reason and the fix when the replication factor exceeds the brokers', async () => {
    const admin: KafkaAdmin = await connectedAdmin();
    const topic = uniqueName('app-counts-changelog');
    const failure = await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 3 }]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(StreamsError.isInstance(failure)).toBe(true);
    const message = (failure as Error).message;
    expect(message).toMatch(
      new RegExp(`^Cannot create internal topic "${topic}": replication factor 3 is larger than the \\d+ available brokers? \\(INVALID_REPLICATION_FACTOR\\)\\. Set replicationFactor to \\d+ or add brokers\\.$`),
    );
    if (message.includes('the 1 available broker')) expect(message).toContain('Set replicationFactor to 1 or add brokers.');
  }, 60_000);

  it('finds an existing internal topic with the wrong partition count', async () => {
    const admin = await connectedAdmin();
    const applicationId = uniqueName('app');
    const input = uniqueName('input');
    const changelog = `${applicationId}-counts-changelog`;
    await admin.createTopics([
      { topic: input, numPartitions: 4, replicationFactor: 1 },
      { topic: changelog, numPartitions: 2, replicationFactor: 1 },
    ]);
    const model = countingTopology({ topics: [input] });
    const expected = internalTopics(model, { applicationId, replicationFactor: 1, partitionCounts: await admin.partitionCounts([input]) });
    const actual = await admin.partitionCounts(expected.map((topic) => topic.topic));
    expect(() => checkInternalTopicPartitions(expected, actual)).toThrow(`"${changelog}" has 2, expected 4`);
  }, 60_000);

  it('sizes the changelog of a pattern-only sub-topology from the topics the pattern matches', async () => {
    const admin = await connectedAdmin();
    const prefix = uniqueName('events');
    await admin.createTopics([
      { topic: `${prefix}-a`, numPartitions: 3, replicationFactor: 1 },
      { topic: `${prefix}-b`, numPartitions: 5, replicationFactor: 1 },
    ]);
    const model = countingTopology({ pattern: new RegExp(`${prefix}-.*`) });
    const matched = patternMatchedTopics(model, await admin.listTopics());
    expect(matched.sort()).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const topics = internalTopics(model, { applicationId: 'app', replicationFactor: 1, partitionCounts: await admin.partitionCounts(matched) });
    expect(topics.map((topic) => [topic.topic, topic.numPartitions])).toEqual([['app-counts-changelog', 5]]);
  }, 60_000);

  it('logs a topic created twice (two instances starting at once) below WARN', async () => {
    const lines: [string, string][] = [];
    const capture = (level: string) => (message: string) => void lines.push([level, message]);
    const logger = { error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') };
    const kafka = new Kafka({ brokers: integrationBrokers(), clientId: 'twice', logLevel: logLevel.INFO, logCreator: kafkajsLogCreator(logger) });
    const raw = kafka.admin();
    await raw.connect();
    closers.push(() => raw.disconnect());
    const topic = uniqueName('created-twice');
    expect(await raw.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] })).toBe(true);
    expect(await raw.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] })).toBe(false);
    expect(lines.some(([, line]) => line.includes('Response CreateTopics'))).toBe(true);
    expect(lines.filter(([level]) => level === 'error' || level === 'warn')).toEqual([]);
  }, 60_000);
});
