import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTER_HEADERS, Headers, Serdes, Topology } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, liveTopicReader, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import { copyTopology, wordCountTopology } from './internal/testing/word-count-topology.js';
import type { ConsumedRecord, KafkaAdmin, RecordProducer } from './kafka/kafka-client.js';
import { KafkajsClientFactory } from './kafka/kafkajs-client-factory.js';
import { KafkaStreams } from './kafka-streams.js';
import type { KafkaStreamsState } from './kafka-streams-state.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();
const int64 = (bytes: Uint8Array | null): number => Number(Buffer.from(bytes!).readBigInt64BE());

async function kafkaTools() {
  const factory = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('tools'), bootstrapServers: integrationBrokers() }));
  const admin: KafkaAdmin = factory.createAdmin();
  const producer: RecordProducer = factory.createProducer();
  await admin.connect();
  await producer.connect();
  cleanups.push(() => admin.disconnect(), () => producer.disconnect());
  const read = async (topic: string): Promise<ConsumedRecord[]> => {
    const reader = await liveTopicReader(topic);
    cleanups.push(reader.close);
    return reader.records;
  };
  const send = (topic: string, values: string[], partitionOf: (index: number) => number = () => 0) =>
    producer.send(values.map((value, index) => ({ topic, partition: partitionOf(index), key: Buffer.from(`key-${index}`), value: Buffer.from(value), headers: new Headers(), timestamp: Date.now() })));
  return { admin, producer, read, send };
}

function startStreams(topology: ConstructorParameters<typeof KafkaStreams>[0], options: Partial<StreamsConfigOptions> & { applicationId: string }) {
  // Each instance its own state directory: two instances in one process cannot share one.
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'kstreams-it-'));
  if (options.stateDir === undefined) cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const streams = new KafkaStreams(topology, { bootstrapServers: integrationBrokers(), commitIntervalMs: 200, stateDir, ...options });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  const states: KafkaStreamsState[] = [];
  streams.onStateChange((state) => states.push(state));
  return { streams, states, started: streams.start() };
}

describe('KafkaStreams', () => {
  it('counts words end to end and creates the changelog topic', async () => {
    const input = uniqueName('wc-in');
    const output = uniqueName('wc-out');
    const applicationId = uniqueName('wc');
    const { admin, read, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })));
    // No repartitioning yet: counting per word needs each word on one partition, so all lines go to 0.
    await send(input, ['the quick fox', 'the lazy dog', 'The end']);
    const { streams, states, started } = startStreams(wordCountTopology(input, output), { applicationId });
    await started;
    const received = await read(output);
    // At-least-once: a rebalance right after start may replay uncommitted records (and, until
    // changelog restore exists, rebuild a moved store from them), so wait for every word to be
    // counted rather than for a number of output records. Replays may only ever count more.
    const latest = new Map<string, number>();
    await waitUntil(() => {
      for (const record of received.splice(0)) latest.set(text(record.key), Math.max(latest.get(text(record.key)) ?? 0, int64(record.value)));
      return (latest.get('the') ?? 0) >= 3 && latest.size === 6;
    }, 'every word is counted');
    expect(latest.get('the')).toBeGreaterThanOrEqual(3);
    expect(latest.get('fox')).toBeGreaterThanOrEqual(1);
    expect([...latest.keys()].sort()).toEqual(['dog', 'end', 'fox', 'lazy', 'quick', 'the']);
    await waitUntil(() => streams.state() === 'RUNNING', 'the instance runs');
    expect(states.slice(0, 2)).toEqual(['REBALANCING', 'RUNNING']);
    expect(streams.localThreadsMetadata()[0]!.activeTasks.map((task) => task.taskId).sort()).toEqual(['0_0', '0_1']);
    expect(await admin.partitionCounts([`${applicationId}-counts-changelog`])).toEqual(new Map([[`${applicationId}-counts-changelog`, 2]]));
    expect(await streams.close({ timeoutMs: 15_000 })).toBe(true);
    expect(streams.state()).toBe('NOT_RUNNING');
    expect(states.slice(-2)).toEqual(['PENDING_SHUTDOWN', 'NOT_RUNNING']);
  });

  it('commits on close, so a restarted instance resumes after the processed records', async () => {
    const input = uniqueName('restart-in');
    const output = uniqueName('restart-out');
    const applicationId = uniqueName('restart');
    const { admin, read, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
    await send(input, Array.from({ length: 50 }, (_, index) => `a${index}`));
    const first = startStreams(copyTopology(input, output), { applicationId, commitIntervalMs: 60_000 });
    await first.started;
    const received = await read(output);
    await waitUntil(() => received.length === 50, 'the first 50 records are copied');
    expect(await first.streams.close({ timeoutMs: 15_000 })).toBe(true);
    expect(await admin.committedOffsets(applicationId, [input])).toEqual([{ topic: input, partition: 0, offset: 50 }]);

    await send(input, Array.from({ length: 20 }, (_, index) => `b${index}`));
    const second = startStreams(copyTopology(input, output), { applicationId });
    await second.started;
    await waitUntil(() => received.length >= 70, 'the next 20 records are copied');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(received).toHaveLength(70);
    expect(received.slice(50).map((record) => text(record.value))).toEqual(Array.from({ length: 20 }, (_, index) => `b${index}`));
  });

  it('sends a poison record to the dead-letter topic with its origin and keeps processing', async () => {
    const input = uniqueName('dlq-in');
    const output = uniqueName('dlq-out');
    const dlqTopic = uniqueName('dlq');
    const { admin, producer, read, send } = await kafkaTools();
    await admin.createTopics([input, output, dlqTopic].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
    await send(input, ['hello', 'ok']);
    // 'hello' and 'ok' are not 4-byte integers, so the int32 source cannot deserialize them.
    const topology = Topology.untyped()
      .addSource('numbers', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.int32() })
      .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.int32() }, 'numbers');
    const { started } = startStreams(topology, { applicationId: uniqueName('dlq-app'), dlqTopic });
    await started;
    const dead = await read(dlqTopic);
    await waitUntil(() => dead.length === 2, 'both undeserializable records reach the DLQ');
    const headers = dead[0]!.headers;
    expect(text(headers.lastHeader(DEAD_LETTER_HEADERS.topic)?.value ?? null)).toBe(input);
    expect(text(headers.lastHeader(DEAD_LETTER_HEADERS.partition)?.value ?? null)).toBe('0');
    expect(text(headers.lastHeader(DEAD_LETTER_HEADERS.offset)?.value ?? null)).toBe('0');
    expect(text(headers.lastHeader(DEAD_LETTER_HEADERS.message)?.value ?? null)).not.toBe('');
    expect(text(dead[1]!.value)).toBe('ok');
    const good = await read(output);
    // A well-formed record after the poison ones is still processed.
    const seven = Buffer.alloc(4);
    seven.writeInt32BE(7);
    await producer.send([{ topic: input, partition: 0, key: Buffer.from('seven'), value: seven, headers: new Headers(), timestamp: Date.now() }]);
    await waitUntil(() => good.length === 1, 'the good record is copied');
  });

  it('splits partitions between two instances and hands them over without losing records', async () => {
    const input = uniqueName('pair-in');
    const output = uniqueName('pair-out');
    const applicationId = uniqueName('pair');
    const { admin, read, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })));
    const first = startStreams(copyTopology(input, output), { applicationId });
    const second = startStreams(copyTopology(input, output), { applicationId });
    await Promise.all([first.started, second.started]);
    const split = (): boolean =>
      [first, second].every(({ streams }) => streams.state() === 'RUNNING' && streams.localThreadsMetadata()[0]!.activeTasks.length === 2);
    await waitUntil(split, 'each instance owns two tasks', 45_000);
    const received = await read(output);
    await send(input, Array.from({ length: 400 }, (_, index) => `r${index}`), (index) => index % 4);
    await waitUntil(() => received.length >= 400, 'the first 400 records are copied', 45_000);
    expect(await first.streams.close({ timeoutMs: 15_000 })).toBe(true);
    await waitUntil(() => second.streams.localThreadsMetadata()[0]!.activeTasks.length === 4, 'the survivor owns all four tasks', 45_000);
    await send(input, Array.from({ length: 400 }, (_, index) => `s${index}`), (index) => index % 4);
    await waitUntil(() => new Set(received.map((record) => text(record.value))).size === 800, 'all 800 distinct records are copied', 45_000);
  });

  it('spreads partitions over numStreamThreads consumer loops in one instance', async () => {
    const input = uniqueName('threads-in');
    const output = uniqueName('threads-out');
    const { admin, read, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })));
    const { streams, started } = startStreams(copyTopology(input, output), { applicationId: uniqueName('threads'), numStreamThreads: 2 });
    await started;
    await waitUntil(() => streams.state() === 'RUNNING' && streams.localThreadsMetadata().every((thread) => thread.activeTasks.length === 2), 'each thread owns two tasks', 45_000);
    const received = await read(output);
    await send(input, Array.from({ length: 200 }, (_, index) => `t${index}`), (index) => index % 4);
    await waitUntil(() => new Set(received.map((record) => text(record.value))).size === 200, 'all 200 records are copied', 45_000);
  });

  it('keeps its group membership while slow processing outlasts the session timeout', async () => {
    const input = uniqueName('slow-in');
    const output = uniqueName('slow-out');
    const { admin, read, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
    const busyWaitMs = (milliseconds: number): void => {
      const until = performance.now() + milliseconds;
      while (performance.now() < until);
    };
    // 160 records x 50 ms of blocking work = 8 s, longer than the 6 s session timeout.
    const topology = Topology.untyped()
      .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('slow', () => ({ init(context: { forward(record: unknown): void }) { this.context = context; }, context: undefined as unknown as { forward(record: unknown): void }, process(record: unknown) { busyWaitMs(50); this.context.forward(record); } }), 'in')
      .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'slow');
    const joins: string[] = [];
    const ignore = (): void => undefined;
    const logger = { error: ignore, warn: ignore, debug: ignore, info: (message: string) => void (/Joined generation/.test(message) && joins.push(message)) };
    const { streams, states, started } = startStreams(topology, { applicationId: uniqueName('slow'), logger, consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 } });
    await started;
    await waitUntil(() => streams.state() === 'RUNNING', 'the instance runs', 45_000);
    await send(input, Array.from({ length: 160 }, (_, index) => `v${index}`));
    const received = await read(output);
    await waitUntil(() => received.length >= 160, 'all 160 slow records are copied', 45_000);
    expect(joins).toHaveLength(1);
    expect(states).toEqual(['REBALANCING', 'RUNNING']);
  });

  it('closes within its timeout while records keep arriving', async () => {
    const input = uniqueName('load-in');
    const output = uniqueName('load-out');
    const { admin, send } = await kafkaTools();
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })));
    const { streams, started } = startStreams(copyTopology(input, output), { applicationId: uniqueName('load') });
    await started;
    await waitUntil(() => streams.state() === 'RUNNING', 'the instance runs', 45_000);
    let producing = true;
    const load = (async () => {
      for (let round = 0; producing; round++) await send(input, Array.from({ length: 500 }, (_, index) => `${round}-${index}`), (index) => index % 2);
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const began = Date.now();
    const closed = await streams.close({ timeoutMs: 10_000 });
    const tookMs = Date.now() - began;
    producing = false;
    await load;
    expect(closed).toBe(true);
    expect(tookMs).toBeLessThan(10_000);
    expect(streams.state()).toBe('NOT_RUNNING');
  });
});
