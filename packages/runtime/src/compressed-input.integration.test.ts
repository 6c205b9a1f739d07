import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Serdes, Topology, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { resolveKafkaJars } from '@kstreams/kafka-broker';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import { KafkajsClientFactory } from './kafka/kafkajs-client-factory.js';
import { KafkaStreams } from './kafka-streams.js';
import { StreamsConfig } from './streams-config.js';

const run = promisify(execFile);
/** Java's own KafkaProducer writing `key-i` / value / header `seq` with a given compression.type (kafka-protocol's test tool). */
const JAVA_PRODUCER = fileURLToPath(new URL('../../kafka-protocol/src/internal/testing/compressed-producer.java', import.meta.url));
const RECORDS = 1_000;
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What compressed-producer.java writes as record `index`. */
function expectedRecord(index: number): string {
  const value = index % 10 === 9 ? null : `value-${index}-${'abcdefghij'.repeat(1 + (index % 9))}`;
  return `${index}:key-${index}=${value ?? '<null>'};seq=${index}`;
}

/** Collects every record it is given, per source topic, as `offset:key=value;seq=header`. */
class Collector implements Processor<string | null, string | null, never, never> {
  #context!: ProcessorContext<never, never>;

  constructor(private readonly byTopic: Map<string, string[]>) {}

  init(context: ProcessorContext<never, never>): void {
    this.#context = context;
  }

  process(record: Record<string | null, string | null>): void {
    const metadata = this.#context.recordMetadata();
    if (metadata === undefined) throw new Error('a source record without metadata');
    const list = this.byTopic.get(metadata.topic) ?? [];
    const seq = Buffer.from(record.headers.lastHeader('seq')?.value ?? new Uint8Array()).toString();
    list.push(`${metadata.offset}:${record.key}=${record.value ?? '<null>'};seq=${seq}`);
    this.byTopic.set(metadata.topic, list);
  }
}

describe('KafkaStreams on compressed input', () => {
  it('processes every record of topics the Java producer wrote with gzip, snappy, lz4 and zstd', async () => {
    const topics = CODECS.map((codec) => uniqueName(`compressed-${codec}`));
    const admin = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('tools'), bootstrapServers: integrationBrokers() })).createAdmin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.createTopics(topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })));
    const { classPath } = await resolveKafkaJars();
    const assignments = CODECS.map((codec, index) => `${topics[index]}=${codec}`);
    await run('java', ['-cp', classPath, JAVA_PRODUCER, integrationBrokers().join(','), String(RECORDS), ...assignments], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });

    const byTopic = new Map<string, string[]>();
    const topology = Topology.untyped()
      .addSource('in', { topics, keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('collect', () => new Collector(byTopic), 'in');
    const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-it-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const streams = new KafkaStreams(topology, { applicationId: uniqueName('compressed'), bootstrapServers: integrationBrokers(), commitIntervalMs: 200, stateDir });
    cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
    await streams.start();
    await waitUntil(() => topics.every((topic) => new Set(byTopic.get(topic)).size >= RECORDS) || streams.state() === 'ERROR', 'every record is processed', 60_000);

    expect(streams.state()).not.toBe('ERROR');
    const expected = Array.from({ length: RECORDS }, (_, index) => expectedRecord(index));
    for (const [index, codec] of CODECS.entries()) {
      // At-least-once: a rebalance right after start may replay records, so compare distinct records.
      expect([...new Set(byTopic.get(topics[index] as string))].sort(), `${codec} topic`).toEqual([...expected].sort());
    }
  }, 120_000);
});
