import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateRestoreListener } from '@kstreams/changelog';
import { Headers } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName, waitUntil, connectedTools } from './internal/testing/integration-kafka.js';
import { latestValueTopology } from './internal/testing/latest-value-topology.js';
import { KafkaStreams } from './kafka-streams.js';


const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const PARTITIONS = 6;
const ACCEPTABLE_RECOVERY_LAG = 500;

describe('lag-aware assignment with warm-up replicas (real broker)', () => {
  it('adds a fourth instance to three with standbys: only the tasks balance needs move, each after a warm-up caught up', async () => {
    const { admin, producer } = await connectedTools((close) => cleanups.push(close));
    const input = uniqueName('warmup-in');
    const applicationId = uniqueName('warmup');
    await admin.createTopics([{ topic: input, numPartitions: PARTITIONS, replicationFactor: 1 }]);
    const caughtUp = async (): Promise<boolean> => {
      const [committed, ends] = await Promise.all([admin.committedOffsets(applicationId, [input]), admin.endOffsets(input)]);
      return ends.every((end) => committed.find((offset) => offset.partition === end.partition)?.offset === end.offset);
    };
    const start = async (listener?: StateRestoreListener): Promise<KafkaStreams> => {
      const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-warmup-'));
      cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
      const streams = new KafkaStreams(latestValueTopology(input), {
        applicationId,
        bootstrapServers: integrationBrokers(),
        stateDir,
        commitIntervalMs: 200,
        numStandbyReplicas: 1,
        acceptableRecoveryLag: ACCEPTABLE_RECOVERY_LAG,
        probingRebalanceIntervalMs: 60_000,
        consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000 },
      });
      if (listener !== undefined) streams.setGlobalStateRestoreListener(listener);
      cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
      await streams.start();
      return streams;
    };
    const tasks = (streams: KafkaStreams) => streams.localThreadsMetadata().flatMap((thread) => thread.activeTasks.map((task) => task.taskId));
    const standbys = (streams: KafkaStreams) => streams.localThreadsMetadata().flatMap((thread) => thread.standbyTasks);
    // The three start on empty state (all caught up), so they balance at once; then the data comes.
    const originals = [await start(), await start(), await start()];
    await waitUntil(() => originals.every((streams) => streams.state() === 'RUNNING' && tasks(streams).length === 2 && standbys(streams).length === 2), 'three instances with two active and two standby tasks each', 120_000);
    for (let start = 0; start < 24_000; start += 4_000) {
      await producer.send(Array.from({ length: 4_000 }, (_, offset) => {
        const index = start + offset;
        return { topic: input, partition: index % PARTITIONS, key: Buffer.from(`key-${index}`), value: Buffer.from(`value-${index}`), headers: new Headers(), timestamp: Date.now() };
      }));
    }
    await waitUntil(caughtUp, 'every record processed', 60_000);
    const before = new Map(originals.flatMap((streams, index) => tasks(streams).map((task) => [task, index] as const)));

    const restoredOnNewcomer = new Map<string, number>();
    const newcomer = await start({
      onBatchRestored: (partition, _store, _end, count) => void restoredOnNewcomer.set(`0_${partition.partition}`, (restoredOnNewcomer.get(`0_${partition.partition}`) ?? 0) + count),
    });
    // First the newcomer only warms up: its state is ~4,000 records behind per task, more than the acceptable lag.
    await waitUntil(() => newcomer.state() === 'RUNNING' && standbys(newcomer).length > 0, 'the newcomer keeps warm-up replicas', 60_000);
    expect(tasks(newcomer)).toEqual([]);
    // The probing rebalance (after 60 s) promotes caught-up warm-ups.
    await waitUntil(() => newcomer.state() === 'RUNNING' && tasks(newcomer).length >= 1 && [...originals, newcomer].every((streams) => streams.state() === 'RUNNING'), 'the newcomer runs active tasks after the probing rebalance', 150_000);
    await waitUntil(() => [...originals, newcomer].reduce((sum, streams) => sum + tasks(streams).length, 0) === PARTITIONS, 'every task runs somewhere', 60_000);
    const moved = tasks(newcomer);
    // Only the tasks the newcomer now runs moved; every other task stayed with its instance.
    for (const [task, index] of before) if (!moved.includes(task)) expect(tasks(originals[index]!)).toContain(task);
    expect(moved.length).toBeLessThanOrEqual(2);
    for (const task of moved) expect(restoredOnNewcomer.get(task) ?? 0).toBeLessThan(ACCEPTABLE_RECOVERY_LAG);
    console.log(`[assignor] moved to the newcomer: ${moved.join(', ')}; restored on promotion: ${moved.map((task) => `${task}=${restoredOnNewcomer.get(task) ?? 0}`).join(', ')}`);
  }, 300_000);
});
