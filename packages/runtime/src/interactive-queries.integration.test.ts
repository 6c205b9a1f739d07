import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers, InvalidStateStoreError, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { partitionForKey } from './default-partitioner.js';
import { QueryableStoreTypes } from './interactive-queries/queryable-store-types.js';
import type { HostInfo } from './interactive-queries/streams-metadata.js';
import { connectedTools, integrationBrokers, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import { KafkaStreams } from './kafka-streams.js';

const PARTITIONS = 4;
const KEYS = Array.from({ length: 40 }, (_, index) => `user-${index}`);
/** Key i is sent (i % 3) + 1 times. */
const expectedCount = (key: string): number => (Number(key.slice('user-'.length)) % 3) + 1;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

class CountByKey implements Processor<string, string, never, never> {
  #counts!: KeyValueStore<string, number>;

  init(context: ProcessorContext<never, never>): void {
    this.#counts = context.getStateStore<KeyValueStore<string, number>>('counts');
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

function instance(input: string, applicationId: string, port: number): KafkaStreams {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-iq-'));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const streams = new KafkaStreams(countTopology(input), {
    applicationId,
    bootstrapServers: integrationBrokers(),
    applicationServer: `127.0.0.1:${port}`,
    numStandbyReplicas: 1,
    commitIntervalMs: 200,
    consumer: { sessionTimeout: 10_000, heartbeatInterval: 500 },
    stateDir,
  });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }));
  return streams;
}

const counts = QueryableStoreTypes.keyValueStore<string, number>();
const hostText = (host: HostInfo): string => `${host.host}:${host.port}`;

describe('interactive queries across two instances (real broker)', () => {
  it('finds every key locally or through the host map, reads standbys with stale reads, and refuses reads while rebalancing', { timeout: 240_000 }, async () => {
    const input = uniqueName('iq-events');
    const applicationId = uniqueName('iq-app');
    const { admin, producer } = await connectedTools((close) => cleanups.push(close));
    await admin.createTopics([{ topic: input, numPartitions: PARTITIONS, replicationFactor: 1 }]);
    const a = instance(input, applicationId, 7101);
    const b = instance(input, applicationId, 7102);
    const byPort = new Map([[7101, a], [7102, b]]);

    await a.start();
    // Before the first assignment there is nothing to read, and no host map yet.
    const early = (() => {
      try {
        a.store({ storeName: 'counts', type: counts }).get('user-0');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(InvalidStateStoreError.isInstance(early)).toBe(true);
    expect(a.queryMetadataForKey('counts', 'user-0', Serdes.string()).activeHost).toEqual({ host: 'unavailable', port: -1 });
    await b.start();
    const bothAssigned = () => [a, b].every((streams) => streams.state() === 'RUNNING' && streams.allMetadata().length === 2 && streams.localThreadsMetadata()[0]!.activeTasks.length > 0);
    await waitUntil(bothAssigned, 'both instances run their share of the tasks and know both hosts', 120_000);

    const keyBytes = (key: string) => Buffer.from(key);
    await producer.send(KEYS.flatMap((key) => Array.from({ length: expectedCount(key) }, (_, index) => ({
      topic: input, partition: partitionForKey(keyBytes(key), PARTITIONS), key: keyBytes(key), value: Buffer.from(`event-${index}`), headers: new Headers(), timestamp: Date.now(),
    }))));

    const owner = (key: string): KafkaStreams => byPort.get(a.queryMetadataForKey('counts', key, Serdes.string()).activeHost.port)!;
    await waitUntil(() => KEYS.every((key) => owner(key).store({ storeName: 'counts', type: counts }).get(key) === expectedCount(key)), 'every key is counted by its owner', 60_000);

    const owners = new Set<KafkaStreams>();
    for (const key of KEYS) {
      const fromA = a.queryMetadataForKey('counts', key, Serdes.string());
      const fromB = b.queryMetadataForKey('counts', key, Serdes.string());
      // Both members got the same host map from the leader in SyncGroup.
      expect(fromB).toEqual(fromA);
      expect(fromA.partition).toBe(partitionForKey(keyBytes(key), PARTITIONS));
      const active = byPort.get(fromA.activeHost.port)!;
      const other = active === a ? b : a;
      owners.add(active);
      expect(active.store({ storeName: 'counts', type: counts }).get(key)).toBe(expectedCount(key));
      expect(active.store({ storeName: 'counts', type: counts, partition: fromA.partition }).get(key)).toBe(expectedCount(key));
      // The other instance has no active copy, only a standby (numStandbyReplicas 1).
      expect(other.store({ storeName: 'counts', type: counts }).get(key)).toBeUndefined();
      expect(fromA.standbyHosts.map(hostText)).toEqual([hostText(other === a ? { host: '127.0.0.1', port: 7101 } : { host: '127.0.0.1', port: 7102 })]);
    }
    expect(owners.size).toBe(2);
    expect(a.allMetadataForStore('counts').map((metadata) => hostText(metadata.hostInfo))).toEqual(['127.0.0.1:7101', '127.0.0.1:7102']);

    // Stale reads reach the standby copies, which tail the changelog.
    await waitUntil(
      () => [a, b].every((streams) => KEYS.every((key) => streams.store({ storeName: 'counts', type: counts, staleStoresEnabled: true }).get(key) === expectedCount(key))),
      'both instances read every key through active or standby copies',
      60_000,
    );

    // B leaves: A rebalances. A view taken before keeps working afterwards, but refuses reads meanwhile.
    const viewOfA = a.store({ storeName: 'counts', type: counts });
    const duringRebalance: unknown[] = [];
    a.onStateChange((state) => {
      if (state !== 'REBALANCING') return;
      try {
        viewOfA.get('user-0');
        duringRebalance.push('read succeeded');
      } catch (error) {
        duringRebalance.push(error);
      }
    });
    await b.close({ timeoutMs: 20_000 });
    await waitUntil(() => a.state() === 'RUNNING' && a.allMetadata().length === 1 && a.localThreadsMetadata()[0]!.activeTasks.length === PARTITIONS, 'A runs every task alone', 120_000);
    expect(duringRebalance.length).toBeGreaterThan(0);
    for (const error of duringRebalance) {
      expect(InvalidStateStoreError.isInstance(error)).toBe(true);
      expect((error as InvalidStateStoreError).retriable).toBe(true);
    }
    await waitUntil(() => KEYS.every((key) => viewOfA.get(key) === expectedCount(key)), 'A serves every key after restoring B\'s tasks', 60_000);
    for (const key of KEYS) expect(a.queryMetadataForKey('counts', key, Serdes.string()).activeHost).toEqual({ host: '127.0.0.1', port: 7101 });
  });
});
