import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers, PunctuationType, Record, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, liveTopicReader, uniqueName, waitUntil, connectedTools } from './internal/testing/integration-kafka.js';
import { copyTopology } from './internal/testing/word-count-topology.js';
import type { ConsumedRecord } from './kafka/kafka-client.js';
import { KafkaStreams } from './kafka-streams.js';
import type { StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();

async function tools(topics: { [topic: string]: number }, configs: { [topic: string]: { [name: string]: string } } = {}) {
  const { admin, producer } = await connectedTools((close) => cleanups.push(close));
  await admin.createTopics(Object.entries(topics).map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1, ...(configs[topic] === undefined ? {} : { configs: configs[topic] }) })));
  const send = (topic: string, records: { key: string; value: string; partition: number; timestamp?: number }[]) =>
    producer.send(records.map(({ key, value, partition, timestamp }) => ({ topic, partition, key: Buffer.from(key), value: Buffer.from(value), headers: new Headers(), timestamp: timestamp ?? Date.now() })));
  const read = async (topic: string): Promise<ConsumedRecord[]> => {
    const reader = await liveTopicReader(topic);
    cleanups.push(reader.close);
    return reader.records;
  };
  return { admin, producer, send, read };
}

function start(topology: ConstructorParameters<typeof KafkaStreams>[0], options: Partial<StreamsConfigOptions> & { applicationId: string }): KafkaStreams {
  // Each instance its own state directory: two instances in one process cannot share one.
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'kstreams-rebalance-'));
  if (options.stateDir === undefined) cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const streams = new KafkaStreams(topology, { bootstrapServers: integrationBrokers(), commitIntervalMs: 500, consumer: { sessionTimeout: 10_000, heartbeatInterval: 500 }, stateDir, ...options });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  void streams.start();
  return streams;
}

const running = (streams: KafkaStreams): boolean => streams.state() === 'RUNNING';
const taskCount = (streams: KafkaStreams): number => streams.localThreadsMetadata().reduce((sum, thread) => sum + thread.activeTasks.length, 0);

/**
 * Output values written more than once, and input values never written. A record the reader
 * happens to receive twice (same partition and offset) is one write, not a duplicate.
 */
function tally(output: readonly ConsumedRecord[], expected: number): { duplicates: number; lost: number } {
  const written = new Map<string, string>();
  for (const record of output) written.set(`${record.partition}:${record.offset}`, text(record.value));
  const seen = new Map<string, number>();
  for (const value of written.values()) seen.set(value, (seen.get(value) ?? 0) + 1);
  let duplicates = 0;
  for (const count of seen.values()) duplicates += count - 1;
  return { duplicates, lost: expected - seen.size };
}

async function scaleOutAndBack(protocol: 'eager' | 'cooperative'): Promise<{ duplicates: number; lost: number; total: number }> {
  const input = uniqueName(`scale-${protocol}-in`);
  const output = uniqueName(`scale-${protocol}-out`);
  const applicationId = uniqueName(`scale-${protocol}`);
  const { send, read } = await tools({ [input]: 6, [output]: 6 });
  const options = { applicationId, rebalanceProtocol: protocol } as const;
  const first = start(copyTopology(input, output), options);
  await waitUntil(() => running(first), 'the first instance runs', 60_000);
  let producing = true;
  let sent = 0;
  const load = (async () => {
    while (producing) {
      await send(input, Array.from({ length: 300 }, (_, index) => ({ key: `k${sent + index}`, value: `v${sent + index}`, partition: (sent + index) % 6 })));
      sent += 300;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const received = await read(output);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const second = start(copyTopology(input, output), options);
  const third = start(copyTopology(input, output), options);
  await waitUntil(() => [first, second, third].every((streams) => running(streams) && taskCount(streams) === 2), 'three instances run two tasks each', 90_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await third.close({ timeoutMs: 20_000 })).toBe(true);
  expect(await second.close({ timeoutMs: 20_000 })).toBe(true);
  await waitUntil(() => running(first) && taskCount(first) === 6, 'the first instance runs all six tasks again', 90_000);
  producing = false;
  await load;
  await waitUntil(() => new Set(received.map((record) => text(record.value))).size === sent, `all ${sent} records are copied`, 90_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  return { ...tally(received, sent), total: sent };
}

describe('rebalancing under load', () => {
  it('scales out from 1 to 3 instances and back without duplicates or losses (cooperative)', async () => {
    const result = await scaleOutAndBack('cooperative');
    console.log(`[rebalance] cooperative scale-out 1->3->1: ${result.total} records, ${result.duplicates} duplicates, ${result.lost} lost`);
    expect(result).toMatchObject({ duplicates: 0, lost: 0 });
  }, 300_000);

  it('scales out from 1 to 3 instances and back without duplicates or losses (eager)', async () => {
    const result = await scaleOutAndBack('eager');
    console.log(`[rebalance] eager scale-out 1->3->1: ${result.total} records, ${result.duplicates} duplicates, ${result.lost} lost`);
    expect(result).toMatchObject({ duplicates: 0, lost: 0 });
  }, 300_000);
});

/** Longest time (ms) between two outputs of the given input partitions, seen by a reader, inside [from, to]. */
function longestGap(arrivals: readonly { at: number; partition: number }[], partitions: ReadonlySet<number>, from: number, to: number): number {
  const times = arrivals.filter((arrival) => partitions.has(arrival.partition) && arrival.at >= from && arrival.at <= to).map((arrival) => arrival.at);
  let gap = 0;
  for (let index = 1; index < times.length; index++) gap = Math.max(gap, times[index]! - times[index - 1]!);
  return gap;
}

async function joinUnderLoad(protocol: 'eager' | 'cooperative'): Promise<{ gapMs: number; stayingRestarted: boolean }> {
  const input = uniqueName(`join-${protocol}-in`);
  const output = uniqueName(`join-${protocol}-out`);
  const applicationId = uniqueName(`join-${protocol}`);
  const { send, read } = await tools({ [input]: 6, [output]: 6 });
  const options = { applicationId, rebalanceProtocol: protocol, commitIntervalMs: 200 } as const;
  const first = start(copyTopology(input, output), options);
  const second = start(copyTopology(input, output), options);
  await waitUntil(() => [first, second].every((streams) => running(streams) && taskCount(streams) === 3), 'two instances run three tasks each', 90_000);
  const received = await read(output);
  const arrivals: { at: number; partition: number }[] = [];
  let producing = true;
  let sent = 0;
  const load = (async () => {
    while (producing) {
      await send(input, Array.from({ length: 60 }, (_, index) => ({ key: `k${sent + index}`, value: `v${sent + index}`, partition: (sent + index) % 6 })));
      sent += 60;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  let watched = 0;
  // A task closed and reopened starts counting its processed records from zero again.
  const lastProcessed = new Map<string, number>();
  const restartedTasks = new Set<string>();
  const watcher = setInterval(() => {
    for (const record of received.slice(watched)) arrivals.push({ at: Date.now(), partition: record.partition });
    watched = received.length;
    for (const task of first.localThreadsMetadata().flatMap((thread) => thread.activeTasks)) {
      if (task.processedRecords < (lastProcessed.get(task.taskId) ?? 0)) restartedTasks.add(task.taskId);
      lastProcessed.set(task.taskId, task.processedRecords);
    }
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  // The tasks the first instance keeps: with 3 instances it keeps two of its three.
  const processedBefore = new Map(first.localThreadsMetadata()[0]!.activeTasks.map((task) => [task.taskId, task.processedRecords]));
  const began = Date.now();
  const third = start(copyTopology(input, output), options);
  await waitUntil(() => [first, second, third].every((streams) => running(streams) && taskCount(streams) === 2), 'three instances run two tasks each', 90_000);
  const ended = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  producing = false;
  await load;
  clearInterval(watcher);
  const staying = first.localThreadsMetadata()[0]!.activeTasks.filter((task) => processedBefore.has(task.taskId));
  // Output partition = input partition here (same keys, same partitioner, same counts).
  const stayingPartitions = new Set(staying.map((task) => Number(task.taskId.split('_')[1])));
  const stayingRestarted = staying.some((task) => restartedTasks.has(task.taskId) || task.processedRecords < processedBefore.get(task.taskId)!);
  return { gapMs: longestGap(arrivals, stayingPartitions, began, ended), stayingRestarted };
}

describe('a member joins a group of two under load', () => {
  it('keeps the tasks that stay running under cooperative rebalancing; eager closes and reopens them', async () => {
    const cooperative = await joinUnderLoad('cooperative');
    const eager = await joinUnderLoad('eager');
    console.log(`[rebalance] longest output gap of staying tasks while a third member joins: cooperative ${cooperative.gapMs} ms, eager ${eager.gapMs} ms`);
    expect(cooperative.stayingRestarted).toBe(false);
    expect(eager.stayingRestarted).toBe(true);
  }, 300_000);
});

class PunctuationRecorder implements Processor<string | null, string | null, string, string> {
  init(context: ProcessorContext<string, string>): void {
    context.schedule(1_000, PunctuationType.STREAM_TIME, (timestamp) => context.forward(new Record('tick', String(timestamp), timestamp)));
  }
  process(): void {}
}

describe('partition time across restarts', () => {
  it('restores stream time from the committed offsets, so a stream-time punctuator never goes back in time', async () => {
    const input = uniqueName('ptime-in');
    const output = uniqueName('ptime-out');
    const applicationId = uniqueName('ptime');
    const { send, read } = await tools({ [input]: 1, [output]: 1 });
    const topology = () =>
      Topology.untyped()
        .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
        .addProcessor('ticks', () => new PunctuationRecorder(), 'in')
        .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'ticks');
    const received = await read(output);
    await send(input, [1_000, 2_500, 5_500].map((timestamp) => ({ key: 'a', value: 'x', partition: 0, timestamp })));
    const first = start(topology(), { applicationId });
    await waitUntil(() => received.length >= 2, 'the first run punctuates', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await first.close({ timeoutMs: 20_000 })).toBe(true);
    const firstRun = received.map((record) => Number(text(record.value)));
    expect(firstRun.at(-1)).toBe(5_500);
    // Late records after the restart: without the committed partition time, stream time would start at 2,000.
    await send(input, [2_000, 3_000, 6_200].map((timestamp) => ({ key: 'a', value: 'x', partition: 0, timestamp })));
    const second = start(topology(), { applicationId });
    await waitUntil(() => received.length > firstRun.length && Number(text(received.at(-1)!.value)) >= 6_200, 'the second run punctuates at 6,200', 60_000);
    await second.close({ timeoutMs: 20_000 });
    const secondRun = received.slice(firstRun.length).map((record) => Number(text(record.value)));
    expect(secondRun.every((timestamp) => timestamp >= 5_500)).toBe(true);
  }, 120_000);
});

class LatestToOutput implements Processor<string | null, string | null, string, string> {
  #context!: ProcessorContext<string, string>;
  #store!: KeyValueStore<string, string>;
  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
    this.#store = context.getStateStore<KeyValueStore<string, string>>('latest');
  }
  process(record: Record<string | null, string | null>): void {
    this.#store.put(record.key!, record.value!);
    this.#context.forward(new Record(record.key!, record.value!, record.timestamp));
  }
}

describe('a FAIL production error', () => {
  it('stops sending at once, ends in ERROR and writes no checkpoint after the failure', async () => {
    const input = uniqueName('fail-in');
    const output = uniqueName('fail-out');
    const applicationId = uniqueName('fail');
    const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-fail-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    // Records above 2,000 bytes cannot be written to the output topic: MESSAGE_TOO_LARGE, and the default handler says FAIL.
    const { send, read } = await tools({ [input]: 1, [output]: 1 }, { [output]: { 'max.message.bytes': '2000' } });
    const topology = Topology.untyped()
      .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('latest', () => new LatestToOutput(), 'in')
      .addStateStore(Stores.keyValueStoreBuilder({ name: 'latest', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withCachingDisabled(), 'latest')
      .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'latest');
    const received = await read(output);
    await send(input, Array.from({ length: 20 }, (_, index) => ({ key: `k${index}`, value: `before-${index}`, partition: 0 })));
    const streams = start(topology, { applicationId, stateDir, commitIntervalMs: 100 });
    await waitUntil(() => received.length === 20, 'the first 20 records are copied', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const checkpoint = join(stateDir, applicationId, '0_0', '.checkpoint');
    const before = await readFile(checkpoint, 'utf8');
    await send(input, [{ key: 'huge', value: 'x'.repeat(5_000), partition: 0 }, ...Array.from({ length: 20 }, (_, index) => ({ key: `k${index}`, value: `after-${index}`, partition: 0 }))]);
    await waitUntil(() => streams.state() === 'ERROR', 'the instance is in ERROR', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received.map((record) => text(record.value))).toEqual(Array.from({ length: 20 }, (_, index) => `before-${index}`));
    expect(await readFile(checkpoint, 'utf8')).toBe(before);
  }, 120_000);
});

describe('static membership', () => {
  it('keeps a closed static member in the group (no rebalance while it is away) and gives its task back when it returns', async () => {
    const input = uniqueName('static-in');
    const output = uniqueName('static-out');
    const applicationId = uniqueName('static');
    const { send, read } = await tools({ [input]: 2, [output]: 2 });
    const options = { applicationId, consumer: { sessionTimeout: 20_000, heartbeatInterval: 500 } } as const;
    // The dynamic member starts first and leads: a rejoining static leader would have to reassign.
    const dynamic = start(copyTopology(input, output), options);
    await waitUntil(() => running(dynamic) && taskCount(dynamic) === 2, 'the dynamic member runs', 60_000);
    const staticOptions = { ...options, groupInstanceId: 'static-a' };
    const first = start(copyTopology(input, output), staticOptions);
    await waitUntil(() => [dynamic, first].every((streams) => running(streams) && taskCount(streams) === 1), 'the members run one task each', 60_000);
    const staticTask = first.localThreadsMetadata()[0]!.activeTasks[0]!.taskId;
    const dynamicStates: string[] = [];
    dynamic.onStateChange((state) => dynamicStates.push(state));
    expect(await first.close({ timeoutMs: 20_000 })).toBe(true);
    // A static member does not leave: the others see no rebalance while it is away (within the session timeout).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(dynamicStates).toEqual([]);
    expect(taskCount(dynamic)).toBe(1);
    const restarted = start(copyTopology(input, output), staticOptions);
    await waitUntil(() => running(restarted) && taskCount(restarted) === 1, 'the restarted static member runs its task again', 60_000);
    expect(restarted.localThreadsMetadata()[0]!.activeTasks[0]!.taskId).toBe(staticTask);
    const received = await read(output);
    await send(input, Array.from({ length: 20 }, (_, index) => ({ key: `k${index}`, value: `v${index}`, partition: index % 2 })));
    await waitUntil(() => received.length >= 20, 'both members process', 60_000);
    expect(taskCount(dynamic)).toBe(1);
  }, 120_000);
});
