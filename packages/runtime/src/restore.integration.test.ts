import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Headers } from '@kstreams/core';
import type { StateRestoreListener } from '@kstreams/changelog';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
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
  const factory = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('tools'), bootstrapServers: integrationBrokers() }));
  const admin = factory.createAdmin();
  const producer = factory.createProducer();
  await admin.connect();
  await producer.connect();
  cleanups.push(() => admin.disconnect(), () => producer.disconnect());
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
    const first = startApp(input, { applicationId, stateDir: restoring.stateDir }, restoring.listener, 150);
    await first.started;
    await waitUntil(() => restoring.listener.restored.size > 0, 'the restore began', 30_000);
    const second = startApp(input, { applicationId, stateDir: joining.stateDir });
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
    await waitUntil(() => running(first.streams) && running(second.streams) && thread(first).activeTasks.length === 1 && thread(second).standbyTasks.length === 1, 'one active and one standby task each', 60_000);
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
});

const childScript = fileURLToPath(new URL('./internal/testing/restore-child-app.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

function spawnApp(args: string[], ready: (output: string) => boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', childScript, ...args], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => killHard(child));
  let output = '';
  let errors = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200);
      if (ready(output)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the child app exited early (${code}): ${errors}`)));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
