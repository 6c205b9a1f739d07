import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryChangelog } from '@kstreams/changelog';
import { Serdes, Stores, Topology, noopLogger, type KeyValueStore, type Record, type StoreBackend } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { GlobalStreamThread } from './global-stream-thread.js';
import { waitUntil } from './internal/testing/integration-kafka.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function globalTopology(backend: StoreBackend) {
  const store = Stores.keyValueStoreBuilder({ name: 'countries', backend, keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
  return Topology.untyped()
    .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addGlobalStore(store, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-loader', () => {
      let countries: KeyValueStore<string | null, string | null>;
      return { init: (context) => void (countries = context.getStateStore('countries')), process: (record: Record<string | null, string | null>) => countries.put(record.key, record.value) };
    });
}

async function startThread(changelog: InMemoryChangelog, backend: StoreBackend, stateDir: string) {
  const thread = new GlobalStreamThread({
    model: globalTopology(backend).build(),
    taskConfig: { applicationId: 'app', stateDir },
    reader: changelog,
    partitionCounts: async (topics) => new Map(topics.map((topic) => [topic, 2])),
    stateDir,
    applicationId: 'app',
    logger: noopLogger,
    commitIntervalMs: 10,
    pollWaitMs: 5,
  });
  await thread.start();
  return { thread, countries: () => thread.getStore('countries') as KeyValueStore<string, string> };
}

describe('GlobalStreamThread', () => {
  // Kafka Streams' GlobalStreamThread: every partition of a global topic is restored to its end
  // before start() returns (the instance turns RUNNING only then), and then kept up to date.
  it('restores every partition to its end before start resolves, then follows new records', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'global-thread-'));
    directories.push(stateDir);
    const changelog = new InMemoryChangelog();
    changelog.append({ topic: 'countries', partition: 0 }, bytes('fr'), bytes('France'));
    changelog.append({ topic: 'countries', partition: 1 }, bytes('de'), bytes('Germany'));
    changelog.append({ topic: 'countries', partition: 0 }, bytes('fr'), bytes('France (FR)'));
    const { thread, countries } = await startThread(changelog, inMemoryBackend(), stateDir);
    expect(thread.state).toBe('RUNNING');
    expect(countries().get('fr')).toBe('France (FR)');
    expect(countries().get('de')).toBe('Germany');
    changelog.append({ topic: 'countries', partition: 1 }, bytes('it'), bytes('Italy'));
    changelog.append({ topic: 'countries', partition: 1 }, bytes('de'), null);
    await waitUntil(() => countries().get('it') === 'Italy' && countries().get('de') === undefined, 'the new records are applied', 2_000);
    await thread.stop();
    expect(thread.state).toBe('DEAD');
    const checkpoint = await readFile(join(stateDir, 'app', 'global', '.checkpoint'), 'utf8');
    expect(checkpoint).toContain('countries 0 2');
    expect(checkpoint).toContain('countries 1 3');
  });

  // Java's GlobalStateManagerImpl resumes persistent global stores from the checkpoint; stores
  // that do not survive a restart (in memory) are rebuilt from the beginning instead.
  it('resumes persistent stores from the checkpoint and rebuilds in-memory ones from the beginning', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'global-thread-'));
    directories.push(stateDir);
    const changelog = new InMemoryChangelog();
    changelog.append({ topic: 'countries', partition: 0 }, bytes('fr'), bytes('France'));
    const first = await startThread(changelog, lmdbBackend(), stateDir);
    await first.thread.stop();
    changelog.append({ topic: 'countries', partition: 0 }, bytes('es'), bytes('Spain'));
    const readsBefore = changelog.reads.length;
    const resumed = await startThread(changelog, lmdbBackend(), stateDir);
    expect(resumed.countries().get('fr')).toBe('France');
    expect(resumed.countries().get('es')).toBe('Spain');
    expect(changelog.reads.slice(readsBefore).find((read) => read.partition.partition === 0)?.options.fromOffset).toBe(1);
    await resumed.thread.stop();

    const memoryDir = await mkdtemp(join(tmpdir(), 'global-thread-'));
    directories.push(memoryDir);
    const inMemory = await startThread(changelog, inMemoryBackend(), memoryDir);
    await inMemory.thread.stop();
    const rebuilt = await startThread(changelog, inMemoryBackend(), memoryDir);
    expect(rebuilt.countries().get('fr')).toBe('France');
    await rebuilt.thread.stop();
  });
});
