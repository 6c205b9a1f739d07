import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { Headers, Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext } from '@kstreams/core';
import { KafkaStreams, KafkajsClientFactory, QueryableStoreTypes, StreamsConfig, partitionForKey } from '@kstreams/runtime';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.test-helper.js';
import { startQueryServer } from './query-server.js';

const PARTITIONS = 4;
const KEYS = Array.from({ length: 30 }, (_, index) => `user-${index}`);
const expectedCount = (key: string): number => (Number(key.slice('user-'.length)) % 4) + 1;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function waitUntil(condition: () => Promise<boolean> | boolean, description: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Counts records per key (one instance per task, each with its task's store). */
class CountByKey {
  #counts!: KeyValueStore<string, number>;

  init(context: ProcessorContext<never, never>): void {
    this.#counts = context.getStateStore('counts');
  }

  process(record: { key: string }): void {
    this.#counts.put(record.key, (this.#counts.get(record.key) ?? 0) + 1);
  }
}

function countTopology(input: string) {
  return Topology.untyped()
    .addSource('events', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new CountByKey(), 'events')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }), 'count');
}

async function instanceWithServer(input: string, applicationId: string, port: number) {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-query-server-'));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const streams = new KafkaStreams(countTopology(input), {
    applicationId, bootstrapServers: testBrokers(), applicationServer: `127.0.0.1:${port}`, commitIntervalMs: 200, stateDir,
    consumer: { sessionTimeout: 10_000, heartbeatInterval: 500 },
  });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  const server = await startQueryServer(streams, { port, stores: { counts: { type: 'keyValue', keySerde: Serdes.string() } } });
  cleanups.push(() => server.close());
  return { streams, url: server.url };
}

describe('the query server on two instances (real broker)', () => {
  it('answers every key through instance A, forwarding the keys instance B holds', { timeout: 240_000 }, async () => {
    const input = uniqueTopicName('query-server-events');
    const applicationId = uniqueTopicName('query-server-app');
    const clients = new KafkajsClientFactory(new StreamsConfig({ applicationId: `${applicationId}-tools`, bootstrapServers: testBrokers() }));
    const admin = clients.createAdmin();
    const producer = clients.createProducer();
    await admin.connect();
    await producer.connect();
    cleanups.push(() => admin.disconnect(), () => producer.disconnect());
    await admin.createTopics([{ topic: input, numPartitions: PARTITIONS, replicationFactor: 1 }]);

    const [portA, portB] = [await freePort(), await freePort()];
    const a = await instanceWithServer(input, applicationId, portA);
    const b = await instanceWithServer(input, applicationId, portB);
    // Before start the server answers 503 with the reason.
    const early = await fetch(`${a.url}/stores/counts/keys/user-1`);
    expect(early.status).toBe(503);
    expect(((await early.json()) as { error: string }).error).toMatch(/not been started/);
    await a.streams.start();
    await b.streams.start();
    await waitUntil(() => [a, b].every(({ streams }) => streams.state() === 'RUNNING' && streams.allMetadata().length === 2 && streams.localThreadsMetadata()[0]!.activeTasks.length > 0), 'both instances run and know both hosts', 120_000);

    await producer.send(KEYS.flatMap((key) => Array.from({ length: expectedCount(key) }, () => ({
      topic: input, partition: partitionForKey(Buffer.from(key), PARTITIONS), key: Buffer.from(key), value: Buffer.from('event'), headers: new Headers(), timestamp: Date.now(),
    }))));

    const throughA = async (key: string) => {
      const response = await fetch(`${a.url}/stores/counts/keys/${encodeURIComponent(key)}`);
      return { status: response.status, forwardedTo: response.headers.get('x-kstreams-forwarded-to'), body: (await response.json()) as { value?: number } };
    };
    await waitUntil(async () => (await Promise.all(KEYS.map(throughA))).every((answer, index) => answer.status === 200 && answer.body.value === expectedCount(KEYS[index]!)), 'A answers every key with its count', 60_000);

    const ownedByB = KEYS.filter((key) => a.streams.queryMetadataForKey('counts', key, Serdes.string()).activeHost.port === portB);
    expect(ownedByB.length).toBeGreaterThan(0);
    expect(ownedByB.length).toBeLessThan(KEYS.length);
    for (const key of KEYS) {
      const answer = await throughA(key);
      expect(answer.forwardedTo).toBe(ownedByB.includes(key) ? `127.0.0.1:${portB}` : null);
      // A itself has no copy of B's keys: the answer came from B.
      if (ownedByB.includes(key)) expect(a.streams.store({ storeName: 'counts', type: countsType() }).get(key)).toBeUndefined();
    }

    const all = (await (await fetch(`${a.url}/stores/counts/all`)).json()) as { entries: { key: string; value: number }[]; hosts: string[] };
    expect(all.hosts.sort()).toEqual([`127.0.0.1:${portA}`, `127.0.0.1:${portB}`].sort());
    expect(new Map(all.entries.map((entry) => [entry.key, entry.value]))).toEqual(new Map(KEYS.map((key) => [key, expectedCount(key)])));
  });
});

function countsType() {
  return QueryableStoreTypes.keyValueStore<string, number>();
}
