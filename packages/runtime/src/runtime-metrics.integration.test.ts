import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers, type ProcessorWrapper } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName, waitUntil, connectedTools } from './internal/testing/integration-kafka.js';
import { inMemoryMetrics } from './internal/testing/in-memory-metrics.js';
import { latestValueTopology } from './internal/testing/latest-value-topology.js';
import { SlowRestoreClients } from './internal/testing/slow-restore-clients.js';
import { KafkaStreams } from './kafka-streams.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const PARTITIONS = 2;
const RECORDS = 20_000;

async function inputTopic(): Promise<string> {
  const { admin, producer } = await connectedTools((close) => cleanups.push(close));
  const input = uniqueName('metrics-in');
  await admin.createTopics([{ topic: input, numPartitions: PARTITIONS, replicationFactor: 1 }]);
  for (let start = 0; start < RECORDS; start += 5_000) {
    const records = Array.from({ length: 5_000 }, (_, offset) => start + offset).map((index) => ({
      topic: input, partition: index % PARTITIONS, key: Buffer.from(`key-${index}`), value: Buffer.from(`value-${index}`), headers: new Headers(), timestamp: Date.now(),
    }));
    await producer.send(records);
  }
  return input;
}

async function stateDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'kstreams-metrics-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function startApp(input: string, options: Partial<StreamsConfigOptions> & { applicationId: string }, readDelayMs?: number) {
  const metrics = inMemoryMetrics();
  const config = new StreamsConfig({
    bootstrapServers: integrationBrokers(), commitIntervalMs: 200, stateDir: await stateDirectory(), meterProvider: metrics.meterProvider,
    // Small fetches and buffers: the input is consumed in many steps, so lag goes down gradually.
    consumer: { maxBytesPerPartition: 16_384 }, bufferedRecordsPerPartition: 200, ...options,
  });
  const clientFactory = readDelayMs === undefined ? undefined : new SlowRestoreClients(config, readDelayMs);
  const streams = new KafkaStreams(latestValueTopology(input, 'memory'), config, clientFactory === undefined ? {} : { clientFactory });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  await streams.start();
  return { streams, metrics };
}

/** Samples `read` every 20 ms until `done` holds; returns every sample. */
async function sampleUntil(read: () => Promise<number>, done: (value: number) => boolean, description: string): Promise<number[]> {
  const samples: number[] = [];
  await waitUntil(async () => {
    samples.push(await read());
    return done(samples.at(-1) as number);
  }, description, 120_000);
  return samples;
}

describe('KafkaStreams metrics against a broker', () => {
  it('reports consumer lag going down to 0, and restore progress and health while a new instance restores', async () => {
    const input = await inputTopic();
    const applicationId = uniqueName('metrics');
    const seen = new Map<string, number>();
    const audit: ProcessorWrapper = {
      wrapNode: (node) => ({ process: (record, proceed) => (seen.set(node.nodeName, (seen.get(node.nodeName) ?? 0) + 1), proceed(record)) }),
    };
    const first = await startApp(input, { applicationId, processorWrapper: audit });
    const lagPoints = () => first.metrics.points('kstreams.task.records-lag');
    const lags = await sampleUntil(
      async () => ((await lagPoints()).length === PARTITIONS ? first.metrics.sum('kstreams.task.records-lag') : Number.NaN),
      (lag) => lag === 0 && seen.get('latest') === RECORDS,
      'every input record was fetched and processed',
    );
    expect(Math.max(...lags.filter((lag) => !Number.isNaN(lag)))).toBeGreaterThan(0);
    expect(Object.fromEntries(seen)).toEqual({ in: RECORDS, latest: RECORDS });
    expect((await lagPoints()).map((point) => point.attributes['topic'])).toEqual([input, input]);
    expect(await first.metrics.sum('kstreams.thread.process')).toBe(RECORDS);
    await waitUntil(() => first.streams.health().lastCommitAgeMs !== null, 'the first commit', 30_000);
    expect(first.streams.health()).toMatchObject({ status: 'UP', ready: true, state: 'RUNNING', threadsAlive: 1, lag: { total: 0 } });
    expect(await first.streams.close({ timeoutMs: 20_000 })).toBe(true);

    // A new instance (in-memory stores) restores both tasks from the changelog, slowly.
    const second = await startApp(input, { applicationId }, 50);
    const remaining = await sampleUntil(
      () => second.metrics.sum('kstreams.state.restore-remaining-records'),
      (left) => left > 0,
      'the restore of the new instance began',
    );
    expect(remaining.at(-1)).toBeGreaterThan(0);
    expect(second.streams.health()).toMatchObject({ status: 'UP', ready: false });
    expect(second.streams.health().tasksRestoring.length).toBeGreaterThan(0);
    await waitUntil(() => second.streams.state() === 'RUNNING', 'the new instance restored and runs', 120_000);
    expect(await second.metrics.sum('kstreams.state.restore')).toBe(RECORDS);
    expect(await second.metrics.sum('kstreams.state.restore-remaining-records')).toBe(0);
    expect(second.streams.health()).toMatchObject({ ready: true, tasksRestoring: [] });
  });

  it('counts a rebalance and the tasks it moved when a second instance joins', async () => {
    const input = await inputTopic();
    const applicationId = uniqueName('metrics-join');
    const first = await startApp(input, { applicationId });
    await waitUntil(() => first.streams.state() === 'RUNNING', 'the first instance runs', 60_000);
    expect(await first.metrics.sum('kstreams.rebalance.rebalances')).toBe(1);
    expect(await first.metrics.sum('kstreams.thread.task-created')).toBe(PARTITIONS);
    const second = await startApp(input, { applicationId });
    await waitUntil(async () => second.streams.state() === 'RUNNING' && first.streams.state() === 'RUNNING' && (await first.metrics.sum('kstreams.rebalance.rebalances')) >= 2, 'both instances run after the join', 120_000);
    expect(await first.metrics.sum('kstreams.rebalance.tasks-revoked')).toBeGreaterThanOrEqual(1);
    expect(await first.metrics.sum('kstreams.thread.task-closed')).toBeGreaterThanOrEqual(1);
    expect(await second.metrics.sum('kstreams.rebalance.rebalances')).toBeGreaterThanOrEqual(1);
    expect((await first.metrics.points('kstreams.rebalance.latency'))[0]?.value).toBeGreaterThanOrEqual(1);
    const clientStates = await second.metrics.points('kstreams.client.state');
    expect(clientStates.filter((point) => point.value === 1).map((point) => point.attributes['state'])).toEqual(['RUNNING']);
  });
});
