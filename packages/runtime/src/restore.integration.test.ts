import { mkdtemp, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers, Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext, type Record } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import type { StateRestoreListener } from '@kstreams/changelog';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnReadyChildApp } from './internal/testing/child-apps.js';
import { integrationBrokers, uniqueName, waitUntil, connectedTools } from './internal/testing/integration-kafka.js';
import { latestValueTopology, readLatestStore } from './internal/testing/latest-value-topology.js';
import { SlowRestoreClients } from './internal/testing/slow-restore-clients.js';
import { KafkajsClientFactory } from './kafka/kafkajs-client-factory.js';
import { KafkaStreams } from './kafka-streams.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const PARTITIONS = 2;
const keyOf = (index: number): string => `key-${String(index).padStart(6, '0')}`;

async function setup() {
  const { admin, producer } = await connectedTools((close) => cleanups.push(close));
  const input = uniqueName('restore-in');
  await admin.createTopics([{ topic: input, numPartitions: PARTITIONS, replicationFactor: 1 }]);
  const expected = new Map<string, string>();
  /** Writes `value(index)` under `keyOf(index)` for every index in [from, to), partition = index % 2. */
  const produce = async (from: number, to: number, value: (index: number) => string): Promise<void> => {
    for (let start = from; start < to; start += 5_000) {
      const records = [];
      for (let index = start; index < Math.min(to, start + 5_000); index++) {
        expected.set(keyOf(index), value(index));
        records.push({ topic: input, partition: index % PARTITIONS, key: Buffer.from(keyOf(index)), value: Buffer.from(value(index)), headers: new Headers(), timestamp: Date.now() });
      }
      await producer.send(records);
    }
  };
  /** True once the group committed up to the end of every input partition. */
  const caughtUp = async (applicationId: string): Promise<boolean> => {
    const [committed, ends] = await Promise.all([admin.committedOffsets(applicationId, [input]), admin.endOffsets(input)]);
    return ends.every((end) => committed.find((offset) => offset.partition === end.partition)?.offset === end.offset);
  };
  return { input, expected, produce, caughtUp };
}

/** The LMDB data file of the task's store. */
async function dataFile(taskDirectory: string): Promise<string> {
  const found = (await readdir(taskDirectory, { recursive: true })).map(String).find((entry) => entry.endsWith('data.mdb'));
  if (found === undefined) throw new Error(`No data.mdb under ${taskDirectory}`);
  return join(taskDirectory, found);
}

/** Sends one record to partition 0 with a fresh producer. */
async function producer(topic: string, key: string, value: string): Promise<void> {
  const factory = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('one-off'), bootstrapServers: integrationBrokers() }));
  const client = factory.createProducer();
  await client.connect();
  await client.send([{ topic, partition: 0, key: Buffer.from(key), value: Buffer.from(value), headers: new Headers(), timestamp: Date.now() }]);
  await client.disconnect();
}

async function stateDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'kstreams-restore-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function restoreCounter(): StateRestoreListener & { restored: Map<string, number>; suspended: string[] } {
  const restored = new Map<string, number>();
  const suspended: string[] = [];
  return {
    restored,
    suspended,
    onBatchRestored: (partition, _store, _end, count) => void restored.set(`0_${partition.partition}`, (restored.get(`0_${partition.partition}`) ?? 0) + count),
    onRestoreSuspended: (partition) => void suspended.push(`0_${partition.partition}`),
  };
}

function startApp(input: string, options: Partial<StreamsConfigOptions> & { applicationId: string; stateDir: string }, listener?: StateRestoreListener, readDelayMs?: number) {
  const config = new StreamsConfig({ bootstrapServers: integrationBrokers(), commitIntervalMs: 100, ...options });
  const clientFactory = readDelayMs === undefined ? undefined : new SlowRestoreClients(config, readDelayMs);
  const streams = new KafkaStreams(latestValueTopology(input), config, clientFactory === undefined ? {} : { clientFactory });
  if (listener !== undefined) streams.setGlobalStateRestoreListener(listener);
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  return { streams, started: streams.start() };
}

async function allEntries(stateDir: string, applicationId: string, taskIds: readonly string[]): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const taskId of taskIds) for (const [key, value] of await readLatestStore(stateDir, applicationId, taskId)) entries.set(key, value);
  return entries;
}

const TASKS = ['0_0', '0_1'];
const running = (streams: KafkaStreams): boolean => streams.state() === 'RUNNING';

describe('KafkaStreams restore from changelogs', () => {
  it('restores a 100k-key LMDB store exactly on a new instance, restores nothing from a checkpoint, and all after the state directory is deleted', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore');
    await produce(0, 100_000, (index) => `value-${index}`);
    const first = { stateDir: await stateDirectory() };
    const original = startApp(input, { applicationId, stateDir: first.stateDir });
    await original.started;
    await waitUntil(() => caughtUp(applicationId), 'the first instance processed every record', 60_000);
    expect(await original.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(first.stateDir, applicationId, TASKS)).toEqual(expected);

    // A new instance with an empty state directory restores everything from the changelog.
    const second = { stateDir: await stateDirectory(), listener: restoreCounter() };
    const fresh = startApp(input, { applicationId, stateDir: second.stateDir }, second.listener);
    await fresh.started;
    await waitUntil(() => running(fresh.streams), 'the new instance restored and runs', 60_000);
    expect([...second.listener.restored.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(100_000);
    expect(await fresh.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(second.stateDir, applicationId, TASKS)).toEqual(expected);

    // Restarting on the same directory: the checkpoint says the store is complete.
    const again = restoreCounter();
    const restarted = startApp(input, { applicationId, stateDir: second.stateDir }, again);
    await restarted.started;
    await waitUntil(() => running(restarted.streams), 'the restarted instance runs', 60_000);
    expect(again.restored.size).toBe(0);
    expect(await restarted.streams.close({ timeoutMs: 20_000 })).toBe(true);

    // Deleting the state directory: a full restore gives the same state.
    await rm(join(second.stateDir, applicationId), { recursive: true, force: true });
    const full = restoreCounter();
    const rebuilt = startApp(input, { applicationId, stateDir: second.stateDir }, full);
    await rebuilt.started;
    await waitUntil(() => running(rebuilt.streams), 'the rebuilt instance runs', 60_000);
    expect([...full.restored.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(100_000);
    expect(await rebuilt.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(second.stateDir, applicationId, TASKS)).toEqual(expected);
  }, 120_000);

  it('finishes a restore that a rebalance interrupts, on whichever instance ends up with each task', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore-rebalance');
    await produce(0, 60_000, (index) => `value-${index}`);
    const original = startApp(input, { applicationId, stateDir: await stateDirectory() });
    await original.started;
    await waitUntil(() => caughtUp(applicationId), 'the first instance processed every record', 60_000);
    expect(await original.streams.close({ timeoutMs: 20_000 })).toBe(true);

    const restoring = { stateDir: await stateDirectory(), listener: restoreCounter() };
    const joining = { stateDir: await stateDirectory() };
    // 60 reads of 1000 records, 150 ms each: about 9 s of restoring, long enough for the second instance to join.
    // Any lag is acceptable here, so balance moves a task away from the restoring instance at once
    // (with the default, the more caught-up restoring instance keeps both and the newcomer warms up).
    const first = startApp(input, { applicationId, stateDir: restoring.stateDir, acceptableRecoveryLag: 1_000_000 }, restoring.listener, 150);
    await first.started;
    await waitUntil(() => restoring.listener.restored.size > 0, 'the restore began', 30_000);
    const second = startApp(input, { applicationId, stateDir: joining.stateDir, acceptableRecoveryLag: 1_000_000 });
    await second.started;
    await waitUntil(() => running(first.streams) && running(second.streams) && first.streams.localThreadsMetadata()[0]!.activeTasks.length === 1, 'both instances run one task each', 60_000);
    expect(restoring.listener.suspended.length).toBeGreaterThan(0);
    const owner = new Map<string, string>();
    for (const [app, dir] of [[first, restoring.stateDir], [second, joining.stateDir]] as const) {
      for (const task of app.streams.localThreadsMetadata()[0]!.activeTasks) owner.set(task.taskId, dir);
    }
    expect(await first.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await second.streams.close({ timeoutMs: 20_000 })).toBe(true);
    const restored = new Map<string, string>();
    for (const taskId of TASKS) for (const [key, value] of await readLatestStore(owner.get(taskId)!, applicationId, taskId)) restored.set(key, value);
    expect(restored).toEqual(expected);
  }, 120_000);

  it('gives a correct store after kill -9 of an instance mid-commit and a restart on its state directory', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore-crash');
    const stateDir = await stateDirectory();
    await produce(0, 20_000, (index) => `first-${index}`);
    const child = await spawnApp([integrationBrokers().join(','), applicationId, input, stateDir], (output) => /processed (\d+)\n$/.exec(output)?.[1] !== undefined && Number(/processed (\d+)\n$/.exec(output)![1]) > 5_000);
    await produce(0, 20_000, (index) => `second-${index}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await killHard(child);
    await produce(10_000, 12_000, (index) => `third-${index}`);
    const restarted = startApp(input, { applicationId, stateDir });
    await restarted.started;
    await waitUntil(() => caughtUp(applicationId), 'the restarted instance processed every record', 60_000);
    expect(await restarted.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(stateDir, applicationId, TASKS)).toEqual(expected);
  }, 120_000);

  it('promotes a standby replica on another instance, restoring only the tail', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('standby');
    await produce(0, 20_000, (index) => `value-${index}`);
    const one = { stateDir: await stateDirectory() };
    const two = { stateDir: await stateDirectory(), listener: restoreCounter() };
    const first = startApp(input, { applicationId, stateDir: one.stateDir, numStandbyReplicas: 1 });
    const second = startApp(input, { applicationId, stateDir: two.stateDir, numStandbyReplicas: 1 }, two.listener);
    await Promise.all([first.started, second.started]);
    const thread = (app: { streams: KafkaStreams }) => app.streams.localThreadsMetadata()[0]!;
    const settled = (app: { streams: KafkaStreams }): boolean => running(app.streams) && thread(app).activeTasks.length === 1 && thread(app).standbyTasks.length === 1;
    await waitUntil(() => settled(first) && settled(second), 'one active and one standby task each', 60_000);
    const moving = thread(first).activeTasks[0]!.taskId;
    expect(thread(second).standbyTasks).toEqual([moving]);
    expect(thread(first).standbyTasks).toEqual([thread(second).activeTasks[0]!.taskId]);
    await produce(20_000, 22_000, (index) => `late-${index}`);
    await waitUntil(() => caughtUp(applicationId), 'every record processed', 60_000);
    const restoredBefore = two.listener.restored.get(moving) ?? 0;
    expect(await first.streams.close({ timeoutMs: 20_000 })).toBe(true);
    await waitUntil(() => running(second.streams) && thread(second).activeTasks.length === 2, 'the standby was promoted', 60_000);
    // The standby had tailed the changelog: the promoted task restores at most what was logged since its last read.
    const tailRestored = (two.listener.restored.get(moving) ?? 0) - restoredBefore;
    expect(tailRestored).toBeLessThan(1_000);
    await produce(22_000, 22_100, (index) => `after-${index}`);
    await waitUntil(() => caughtUp(applicationId), 'the survivor processed the new records', 60_000);
    expect(await second.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(two.stateDir, applicationId, TASKS)).toEqual(expected);
  }, 120_000);

  it('closes the tasks of a member whose session expired dirty, rejoins and restores them correctly', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore-expired');
    const stalled = { stateDir: await stateDirectory() };
    const survivor = { stateDir: await stateDirectory() };
    await produce(0, 10_000, (index) => `first-${index}`);
    const child = await spawnApp([integrationBrokers().join(','), applicationId, input, stalled.stateDir], (output) => Number(/processed (\d+)\n$/.exec(output)?.[1] ?? 0) > 0);
    let childLog = '';
    let childTasks = '';
    child.stderr?.on('data', (chunk: Buffer) => (childLog += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/tasks (\S*)\n/g)) childTasks = match[1]!;
    });
    const other = startApp(input, { applicationId, stateDir: survivor.stateDir, consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 } });
    await other.started;
    await waitUntil(() => running(other.streams) && other.streams.localThreadsMetadata()[0]!.activeTasks.length === 1, 'the two instances share the tasks', 60_000);
    // A stalled process (a long GC pause, a frozen VM): no heartbeats, no processing.
    child.kill('SIGSTOP');
    await produce(10_000, 14_000, (index) => `second-${index}`);
    await waitUntil(() => running(other.streams) && other.streams.localThreadsMetadata()[0]!.activeTasks.length === 2, 'the survivor took over after the session timeout', 60_000);
    child.kill('SIGCONT');
    await waitUntil(() => /no longer part of the group/.test(childLog) && /Lost 1 partitions/.test(childLog), 'the stalled member noticed it lost its partitions', 60_000);
    await produce(14_000, 16_000, (index) => `third-${index}`);
    await waitUntil(() => caughtUp(applicationId), 'every record processed', 90_000);
    await waitUntil(() => running(other.streams) && other.streams.localThreadsMetadata()[0]!.activeTasks.length === 1 && /^0_\d:RUNNING$/.test(childTasks), 'the rejoined member restored and runs one task again', 90_000);
    await waitUntil(() => caughtUp(applicationId), 'every record processed after the last rebalance', 90_000);
    const owned = new Set(other.streams.localThreadsMetadata()[0]!.activeTasks.map((task) => task.taskId));
    // The child closes cleanly on SIGTERM, leaving its stores as its task restored and updated them.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(await other.streams.close({ timeoutMs: 20_000 })).toBe(true);
    const entries = new Map<string, string>();
    for (const taskId of TASKS) {
      const directory = owned.has(taskId) ? survivor.stateDir : stalled.stateDir;
      const store = await readLatestStore(directory, applicationId, taskId);
      if (process.env['DEBUG_EXPIRY'] !== undefined) {
        const other = await readLatestStore(owned.has(taskId) ? stalled.stateDir : survivor.stateDir, applicationId, taskId).catch(() => new Map());
        console.log(`task ${taskId} owner ${owned.has(taskId) ? 'survivor' : 'child'}: ${store.size} entries (${[...store.values()].filter((v) => v.startsWith('third')).length} third); other copy ${other.size}`);
      }
      for (const [key, value] of store) entries.set(key, value);
    }
    if (process.env['DEBUG_EXPIRY'] !== undefined) console.log(childLog.split('\n').filter((line) => /WARN|Joined|Lost|Assignment|restored/.test(line)).join('\n'));
    expect(entries).toEqual(expected);
  }, 180_000);

  it('hands an LMDB-backed task from a failed stream thread to another thread of the same instance', async () => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore-threads');
    const stateDir = await stateDirectory();
    await produce(0, 6_000, (index) => `first-${index}`);
    let exploded = false;
    const topology = Topology.untyped()
      .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('latest', () => {
        let store: KeyValueStore<string, string>;
        return {
          init: (context: ProcessorContext<never, never>) => void (store = context.getStateStore<KeyValueStore<string, string>>('latest')),
          process: (record: Record<string | null, string | null>) => {
            if (record.value === 'explode' && !exploded) {
              exploded = true;
              throw new Error('one-off failure');
            }
            if (record.key !== null && record.value !== 'explode') store.put(record.key, record.value);
          },
        };
      }, 'in')
      .addStateStore(Stores.keyValueStoreBuilder({ name: 'latest', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withCachingDisabled(), 'latest');
    const streams = new KafkaStreams(topology, { applicationId, bootstrapServers: integrationBrokers(), stateDir, numStreamThreads: 2, commitIntervalMs: 100 });
    cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
    streams.setUncaughtExceptionHandler(() => 'REPLACE_THREAD');
    const owners = new Map<string, Set<string>>();
    const watcher = setInterval(() => {
      for (const thread of streams.localThreadsMetadata()) for (const task of thread.activeTasks) owners.set(task.taskId, (owners.get(task.taskId) ?? new Set()).add(thread.threadName));
    }, 10);
    try {
      await streams.start();
      await waitUntil(() => running(streams) && streams.localThreadsMetadata().every((thread) => thread.activeTasks.length === 1), 'one task per thread', 60_000);
      await producer(input, 'key-explode', 'explode');
      await waitUntil(() => exploded, 'the one-off failure happened', 60_000);
      await produce(6_000, 8_000, (index) => `after-${index}`);
      await waitUntil(() => running(streams) && streams.localThreadsMetadata().length === 2, 'a replacement thread runs', 60_000);
      await waitUntil(() => caughtUp(applicationId), 'every record processed', 60_000);
    } finally {
      clearInterval(watcher);
    }
    expect(streams.state()).toBe('RUNNING');
    expect(await streams.close({ timeoutMs: 20_000 })).toBe(true);
    // The failed thread's task ran on another thread afterwards: its LMDB store changed hands inside the instance.
    expect([...owners.values()].some((threads) => threads.size >= 2)).toBe(true);
    expect(await allEntries(stateDir, applicationId, TASKS)).toEqual(expected);
  }, 240_000);

  const damages: [string, (taskDirectory: string) => Promise<void>][] = [
    ['a truncated data file', async (directory) => truncate(await dataFile(directory), Math.floor((await stat(await dataFile(directory))).size / 2))],
    ['a zero-length data file', async (directory) => truncate(await dataFile(directory), 0)],
    ['an overwritten header', async (directory) => {
      const file = await open(await dataFile(directory), 'r+');
      await file.write(Buffer.alloc(4096, 0x5a), 0, 4096, 0);
      await file.close();
    }],
    ['a deleted data file with its checkpoint kept', async (directory) => rm(await dataFile(directory))],
    ['a garbage checkpoint', async (directory) => writeFile(join(directory, '.checkpoint'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a, 0x39]))],
  ];

  it.each(damages)('heals %s by itself: the task is wiped and restored, the instance stays RUNNING with an exact store', async (_kind, damage) => {
    const { input, expected, produce, caughtUp } = await setup();
    const applicationId = uniqueName('restore-damage');
    const stateDir = await stateDirectory();
    await produce(0, 6_000, (index) => `value-${index}`);
    const first = startApp(input, { applicationId, stateDir });
    await first.started;
    await waitUntil(() => caughtUp(applicationId), 'every record processed', 60_000);
    expect(await first.streams.close({ timeoutMs: 20_000 })).toBe(true);
    await damage(join(stateDir, applicationId, '0_0'));
    await produce(6_000, 7_000, (index) => `later-${index}`);
    const second = startApp(input, { applicationId, stateDir });
    const states: string[] = [];
    second.streams.onStateChange((state) => states.push(state));
    await second.started;
    await waitUntil(() => running(second.streams) && second.streams.localThreadsMetadata()[0]!.activeTasks.length === 2, 'the instance runs both tasks', 60_000);
    await waitUntil(() => caughtUp(applicationId), 'every later record processed', 60_000);
    expect(states).not.toContain('ERROR');
    expect(await second.streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(await allEntries(stateDir, applicationId, TASKS)).toEqual(expected);
  }, 120_000);
});

function spawnApp(args: string[], ready: (output: string) => boolean) {
  return spawnReadyChildApp('restore-child-app.ts', args, ready, { onStarted: (child) => cleanups.push(() => killHard(child)) });
}
