import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes, Stores, StreamsError, Topology, type Processor } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName } from './internal/testing/integration-kafka.js';
import { KafkajsClientFactory } from './kafka/kafkajs-client-factory.js';
import { KafkaStreams } from './kafka-streams.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.string() };
const noop = (): Processor<unknown, unknown, unknown, unknown> => ({ process: () => undefined });

async function admin() {
  const created = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('tools'), bootstrapServers: integrationBrokers() })).createAdmin();
  await created.connect();
  cleanups.push(() => created.disconnect());
  return created;
}

function newStateDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'kstreams-startup-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** Starts an instance and returns the error its start rejects with (undefined when it starts). */
async function startError(topology: Topology, options: Partial<StreamsConfigOptions> & { applicationId: string }): Promise<unknown> {
  const streams = new KafkaStreams(topology, { bootstrapServers: integrationBrokers(), stateDir: newStateDir(), ...options });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  return streams.start().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('KafkaStreams start-up checks against a real broker', () => {
  it('refuses an existing changelog with the wrong partition count, naming it', async () => {
    const kafka = await admin();
    const applicationId = uniqueName('wrong-partitions');
    const input = uniqueName('input');
    const changelog = `${applicationId}-counts-changelog`;
    await kafka.createTopics([
      { topic: input, numPartitions: 4, replicationFactor: 1 },
      { topic: changelog, numPartitions: 2, replicationFactor: 1 },
    ]);
    const topology = Topology.untyped()
      .addSource('in', { topics: [input], ...serdes })
      .addProcessor('count', noop, 'in')
      .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: lmdbBackend(), ...serdes }), 'count');
    const error = await startError(topology, { applicationId });
    expect(StreamsError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`"${changelog}" has 2, expected 4`);
  }, 90_000);

  it('names the changelog and the broker count when the replication factor is too high', async () => {
    const kafka = await admin();
    const applicationId = uniqueName('rf');
    const input = uniqueName('input');
    await kafka.createTopics([{ topic: input, numPartitions: 1, replicationFactor: 1 }]);
    const topology = Topology.untyped()
      .addSource('in', { topics: [input], ...serdes })
      .addProcessor('count', noop, 'in')
      .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: lmdbBackend(), ...serdes }), 'count');
    const error = await startError(topology, { applicationId, replicationFactor: 3 });
    expect((error as Error).message).toMatch(
      new RegExp(`^Cannot create internal topic "${applicationId}-counts-changelog": replication factor 3 is larger than the \\d+ available brokers? \\(INVALID_REPLICATION_FACTOR\\)`),
    );
  }, 90_000);

  it('creates the changelog of a pattern-only stateful sub-topology and keeps windowed changelogs a day longer', async () => {
    const kafka = await admin();
    const applicationId = uniqueName('pattern');
    const prefix = uniqueName('events');
    await kafka.createTopics([
      { topic: `${prefix}-a`, numPartitions: 2, replicationFactor: 1 },
      { topic: `${prefix}-b`, numPartitions: 3, replicationFactor: 1 },
    ]);
    const topology = Topology.untyped()
      .addSource('in', { pattern: new RegExp(`${prefix}-.*`), ...serdes })
      .addProcessor('window', noop, 'in')
      .addStateStore(Stores.windowStoreBuilder({ name: 'windows', backend: lmdbBackend(), retentionMs: 3_600_000, windowSizeMs: 60_000, ...serdes }), 'window');
    expect(await startError(topology, { applicationId })).toBeUndefined();
    const changelog = `${applicationId}-windows-changelog`;
    expect(await kafka.partitionCounts([changelog])).toEqual(new Map([[changelog, 3]]));
    const raw = new Kafka({ brokers: integrationBrokers(), clientId: 'configs', logLevel: 0 }).admin();
    await raw.connect();
    cleanups.push(() => raw.disconnect());
    const described = await raw.describeConfigs({ resources: [{ type: 2, name: changelog, configNames: ['retention.ms', 'cleanup.policy'] }], includeSynonyms: false });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]));
    expect(entries).toEqual({ 'retention.ms': String(3_600_000 + 86_400_000), 'cleanup.policy': 'compact,delete' });
  }, 90_000);

  it('refuses a second instance on the same stateDir and an unusable stateDir, naming the directory', async () => {
    const kafka = await admin();
    const applicationId = uniqueName('shared-dir');
    const input = uniqueName('input');
    await kafka.createTopics([{ topic: input, numPartitions: 1, replicationFactor: 1 }]);
    const stateDir = newStateDir();
    const copy = () => Topology.untyped().addSource('in', { topics: [input], ...serdes }).addSink('out', uniqueName('out'), serdes, 'in');
    expect(await startError(copy(), { applicationId, stateDir })).toBeUndefined();
    const second = await startError(copy(), { applicationId, stateDir });
    expect((second as Error).message).toMatch(/^State directory .* is locked by another KafkaStreams instance in this process .*Two KafkaStreams instances cannot share a stateDir/);
    const file = join(newStateDir(), 'file');
    writeFileSync(file, 'x');
    const unusable = await startError(copy(), { applicationId: uniqueName('file-dir'), stateDir: file });
    expect((unusable as Error).message).toContain(`${file} is a file, not a directory (ENOTDIR)`);
  }, 90_000);
});
