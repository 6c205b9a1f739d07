import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers } from '@kstreams/core';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { killHard, spawnReadyChildApp, stopChild } from './internal/testing/child-apps.js';
import { checkExactlyOnce, exactlyOnceSumTopology, readSumStores, sumInputValue, type SumTopologyOptions } from './internal/testing/exactly-once-topology.js';
import { committedTopicRecords, connectedTools, integrationBrokers, liveTopicReader, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import { KafkaStreams } from './kafka-streams.js';
import type { ProcessingGuarantee, StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const PARTITIONS = 2;
const KEYS = 20;
const TASKS = ['0_0', '0_1'];

/** Topics, an input producer that remembers the true sums, and a read_committed output reader. */
async function setup() {
  const { admin, producer } = await connectedTools((close) => cleanups.push(close));
  const input = uniqueName('eos-in');
  const output = uniqueName('eos-out');
  await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })));
  const sums = new Map<string, number>();
  let produced = 0;
  /** Sends `count` more records: key `k<seq % KEYS>`, amount `seq % 7 + 1`. */
  const produce = async (count: number): Promise<void> => {
    const records = [];
    for (let index = 0; index < count; index++) {
      const seq = produced++;
      const key = `k${seq % KEYS}`;
      const amount = (seq % 7) + 1;
      sums.set(key, (sums.get(key) ?? 0) + amount);
      records.push({ topic: input, partition: (seq % KEYS) % PARTITIONS, key: Buffer.from(key), value: Buffer.from(sumInputValue(seq, amount)), headers: new Headers(), timestamp: Date.now() });
    }
    await producer.send(records);
  };
  const reader = await liveTopicReader(output);
  cleanups.push(() => reader.close());
  // The check reads with the runtime's reader: kafkajs' consumer lets aborted records of interleaved producers through (see committedTopicRecords).
  const outputRecords = () => committedTopicRecords(output, PARTITIONS);
  /** Waits until the committed output holds a record per input record (the kafkajs reader is only a cheap first gate). */
  const waitForOutput = async (description: string, timeoutMs: number): Promise<void> => {
    await waitUntil(() => reader.records.length >= produced, description, timeoutMs);
    await waitUntil(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return (await outputRecords()).length >= produced;
    }, `${description} (read_committed)`, timeoutMs);
  };
  return { input, output, sums, produce, produced: () => produced, reader, outputRecords, waitForOutput };
}

async function stateDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'kstreams-eos-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

function startApp(input: string, output: string, options: Partial<StreamsConfigOptions> & { applicationId: string; stateDir: string; processingGuarantee: ProcessingGuarantee }, topology: SumTopologyOptions = {}, prepare?: (streams: KafkaStreams) => void) {
  const streams = new KafkaStreams(exactlyOnceSumTopology(input, output, topology), { bootstrapServers: integrationBrokers(), ...options });
  prepare?.(streams);
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  return { streams, started: streams.start() };
}

/** Records in the topic counted read_uncommitted: what was written, committed or not. */
async function uncommittedCount(topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'eos-uncommitted', brokers: integrationBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('uncommitted'), readUncommitted: true, maxWaitTimeInMs: 200 });
  let count = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => void (count += batch.messages.length) });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  // Control records (commit/abort markers) take offsets too, so wait until the count stops growing.
  let last = -1;
  while (last !== count) {
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
  await consumer.disconnect();
  expect(ends.length).toBe(PARTITIONS);
  return count;
}

// exactly_once (deprecated): one producer per task, fenced by producer epoch; exactly_once_v2: one per thread, fenced by the group.
describe.each<ProcessingGuarantee>(['exactly_once_v2', 'exactly_once'])('%s on the broker', (processingGuarantee) => {
  it('counts a running sum: the read_committed output has every record once and the exact sums', async () => {
    const { input, output, sums, produce, produced, outputRecords, waitForOutput } = await setup();
    const applicationId = uniqueName('eos-sum');
    const stateDir = await stateDirectory();
    await produce(2_000);
    const app = startApp(input, output, { applicationId, stateDir, numStreamThreads: 2, processingGuarantee });
    await app.started;
    await produce(2_000);
    await waitForOutput('every record summed', 90_000);
    expect(await app.streams.close({ timeoutMs: 20_000 })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(checkExactlyOnce(sums, produced(), await outputRecords())).toEqual({ expected: 4_000, seen: 4_000, lost: 0, duplicated: 0, wrongSums: 0 });
    expect(await readSumStores(stateDir, applicationId, TASKS)).toEqual(sums);
  }, 150_000);

  it('a processing error inside a transaction leaves no visible output: the replacement thread reprocesses from the committed offsets', async () => {
    const { input, output, sums, produce, produced, outputRecords, waitForOutput } = await setup();
    const applicationId = uniqueName('eos-poison');
    const stateDir = await stateDirectory();
    // Commits are rare (8 s), so the poison record lands in the first transaction, which already holds sent output and store writes.
    let poisoned = 0;
    const poison = 1_500;
    const states: string[] = [];
    const app = startApp(input, output, { applicationId, stateDir, commitIntervalMs: 8_000, transactionTimeoutMs: 30_000, processingGuarantee }, {
      beforeRecord: (seq) => {
        if (seq === poison && poisoned++ === 0) throw new Error(`poison record ${seq}`);
      },
    }, (streams) => {
      streams.setUncaughtExceptionHandler(() => 'REPLACE_THREAD');
      streams.onStateChange((state) => states.push(state));
    });
    await app.started;
    await produce(1_500);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await produce(1_500);
    await waitForOutput('every record summed after the replacement', 120_000);
    expect(poisoned).toBeGreaterThanOrEqual(2);
    expect(states).not.toContain('ERROR');
    expect(await app.streams.close({ timeoutMs: 20_000 })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(checkExactlyOnce(sums, produced(), await outputRecords())).toEqual({ expected: 3_000, seen: 3_000, lost: 0, duplicated: 0, wrongSums: 0 });
    expect(await readSumStores(stateDir, applicationId, TASKS)).toEqual(sums);
    // The aborted transaction's records were written, but never became visible.
    expect(await uncommittedCount(output)).toBeGreaterThan(3_000);
  }, 180_000);

  it('a zombie (stalled with an open transaction) cannot commit once its tasks moved; nothing it wrote becomes visible', async () => {
    const { input, output, sums, produce, produced, outputRecords, waitForOutput } = await setup();
    const applicationId = uniqueName('eos-zombie');
    const zombieDir = await stateDirectory();
    const survivorDir = await stateDirectory();
    await produce(1_000);
    // Long transactions (10 s commit interval) so the zombie surely holds an open one with output when it
    // stops. The survivor's restore waits for that transaction (until it is aborted: by the zombie, by the
    // survivor's InitProducerId under exactly_once, or by its 20 s timeout).
    const zombie = await spawnApp([integrationBrokers().join(','), applicationId, input, output, zombieDir, '10000', '20000'], processingGuarantee, (log) => Number(/processed (\d+)\n$/.exec(log)?.[1] ?? 0) >= 1_000);
    const survivor = startApp(input, output, { applicationId, stateDir: survivorDir, consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 }, processingGuarantee });
    await survivor.started;
    await waitUntil(() => survivor.streams.state() === 'RUNNING' && survivor.streams.localThreadsMetadata()[0]!.activeTasks.length === 1, 'the two instances share the tasks', 60_000);
    let zombieLog = '';
    zombie.stdout?.on('data', (chunk: Buffer) => (zombieLog += chunk.toString()));
    zombie.stderr?.on('data', (chunk: Buffer) => (zombieLog += chunk.toString()));
    const lastProcessed = (): number => Number([...zombieLog.matchAll(/processed (\d+)\n/g)].at(-1)?.[1] ?? -1);
    await waitUntil(() => lastProcessed() >= 0, 'the zombie reports its progress', 30_000);
    const before = lastProcessed();
    await produce(1_000);
    await waitUntil(() => lastProcessed() >= before + 200, 'the zombie processes the new records', 30_000);
    // Its output goes out right after processing; the transaction stays open (10 s commit interval).
    await new Promise((resolve) => setTimeout(resolve, 500));
    zombie.kill('SIGSTOP');
    await produce(1_000);
    await waitUntil(() => survivor.streams.state() === 'RUNNING' && survivor.streams.localThreadsMetadata()[0]!.activeTasks.length === 2, 'the survivor took over every task', 90_000);
    zombie.kill('SIGCONT');
    await waitForOutput('every record summed once the zombie gave up', 120_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(checkExactlyOnce(sums, produced(), await outputRecords())).toEqual({ expected: 3_000, seen: 3_000, lost: 0, duplicated: 0, wrongSums: 0 });
    expect(await uncommittedCount(output)).toBeGreaterThan(3_000);
    expect(zombieLog).toMatch(/partitions were lost|was fenced/);
    await stopChild(zombie);
    expect(await survivor.streams.close({ timeoutMs: 20_000 })).toBe(true);
  }, 300_000);
});

function spawnApp(args: string[], guarantee: ProcessingGuarantee, ready: (output: string) => boolean) {
  return spawnReadyChildApp('exactly-once-child-app.ts', args, ready, { env: { EOS_GUARANTEE: guarantee }, onStarted: (child) => cleanups.push(() => killHard(child)) });
}
