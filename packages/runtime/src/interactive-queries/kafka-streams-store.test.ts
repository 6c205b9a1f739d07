import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidStateStoreError, Serdes, Stores, type KeyValueStore, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from '../internal/testing/fake-kafka.js';
import { waitUntil } from '../internal/testing/integration-kafka.js';
import { wordCountTopology } from '../internal/testing/word-count-topology.js';
import { KafkaStreams } from '../kafka-streams.js';
import { InvalidStateStorePartitionError, StateStoreMigratedError, StateStoreNotAvailableError, StreamsNotStartedError, UnknownStateStoreError } from './invalid-state-store-errors.js';
import { QueryableStoreTypes } from './queryable-store-types.js';

const open: KafkaStreams[] = [];
afterEach(async () => {
  for (const streams of open.splice(0)) await streams.close({ timeoutMs: 2_000 });
});

function wordCount(fake: FakeKafka): KafkaStreams {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-iq-'));
  const streams = new KafkaStreams(wordCountTopology('lines', 'out'), { applicationId: 'app', bootstrapServers: 'fake:9092', commitIntervalMs: 50, stateDir, applicationServer: 'localhost:7001' }, { clientFactory: fake });
  open.push(streams);
  return streams;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const countsType = QueryableStoreTypes.keyValueStore<string, number>();

describe('KafkaStreams.store', () => {
  it('refuses before start(), for an unknown name, and for the wrong store type, naming the store', () => {
    const streams = wordCount(new FakeKafka({ lines: 2, out: 2 }));
    const notStarted = thrown(() => streams.store({ storeName: 'counts', type: countsType }));
    expect(StreamsNotStartedError.isInstance(notStarted)).toBe(true);
    expect(InvalidStateStoreError.isInstance(notStarted)).toBe(true);
    expect((notStarted as Error).message).toMatch(/state store "counts".*not been started.*Call start\(\)/);
    expect(StreamsNotStartedError.isInstance(thrown(() => streams.queryMetadataForKey('counts', 'x', Serdes.string())))).toBe(true);
  });

  it('names the known stores for an unknown name and the right type for a wrong one', async () => {
    const fake = new FakeKafka({ lines: 2, out: 2 });
    const streams = wordCount(fake);
    await streams.start();
    const unknown = thrown(() => streams.store({ storeName: 'count', type: countsType }));
    expect(UnknownStateStoreError.isInstance(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(/"count": no such store.*its stores are "counts"/);
    expect(() => streams.store({ storeName: 'counts', type: QueryableStoreTypes.windowStore<string, number>() })).toThrow(/"counts" is a key-value store and cannot be queried as a windowStore. Use QueryableStoreTypes.keyValueStore\(\)/);
  });

  it('throws a retriable StateStoreMigratedError while rebalancing, then reads every local task once RUNNING', async () => {
    const fake = new FakeKafka({ lines: 3, out: 3 });
    const streams = wordCount(fake);
    await streams.start();
    const counts = streams.store({ storeName: 'counts', type: countsType });
    const rebalancing = thrown(() => counts.get('kafka'));
    expect(StateStoreMigratedError.isInstance(rebalancing)).toBe(true);
    expect((rebalancing as StateStoreMigratedError).retriable).toBe(true);
    expect((rebalancing as Error).message).toMatch(/"counts" cannot be queried now: stream thread .* is STARTING, not RUNNING.*Retry/);
    fake.assign([{ topic: 'lines', partition: 0 }, { topic: 'lines', partition: 1 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    await fake.deliver('lines', 0, ['kafka streams', 'kafka']);
    await fake.deliver('lines', 1, ['node']);
    await waitUntil(() => counts.get('node') === 1, 'the counts are in the store', 2_000);
    expect([counts.get('kafka'), counts.get('streams'), counts.get('missing')]).toEqual([2, 1, undefined]);
    expect(counts.approximateNumEntries()).toBe(3);
    const partitionZero = streams.store({ storeName: 'counts', type: countsType, partition: 0 });
    expect([...partitionZero.all()].map((entry) => entry.key).sort()).toEqual(['kafka', 'streams']);
    const missing = thrown(() => streams.store({ storeName: 'counts', type: countsType, partition: 2 }).get('x'));
    expect(InvalidStateStorePartitionError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/Partition 2 of state store "counts" is not held by this instance \(local partitions: 0, 1\)/);
  });

  it('tells a reader of a closed instance that the store is gone for good', async () => {
    const fake = new FakeKafka({ lines: 1, out: 1 });
    const streams = wordCount(fake);
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    const counts = streams.store({ storeName: 'counts', type: countsType });
    expect(counts.get('x')).toBeUndefined();
    await streams.close({ timeoutMs: 2_000 });
    const closed = thrown(() => counts.get('x'));
    expect(StateStoreNotAvailableError.isInstance(closed)).toBe(true);
    expect((closed as StateStoreNotAvailableError).retriable).toBe(false);
    expect((closed as Error).message).toMatch(/"counts" is not available: KafkaStreams is NOT_RUNNING/);
  });
});

describe('KafkaStreams.store with stale reads and global stores', () => {
  it('reads standby copies only with staleStoresEnabled', async () => {
    const fake = new FakeKafka({ lines: 2, out: 2 });
    fake.standbyTasks = ['0_1'];
    // What the active copy of task 0_1 (elsewhere) logged: a standby here tails it.
    const int64 = (value: number) => Serdes.int64Number().serialize('', value)!;
    fake.changelog.append({ topic: 'app-counts-changelog', partition: 1 }, new TextEncoder().encode('remote'), int64(7));
    const streams = wordCount(fake);
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    const stale = streams.store({ storeName: 'counts', type: countsType, staleStoresEnabled: true });
    await waitUntil(() => stale.get('remote') === 7, 'the standby applied the changelog', 2_000);
    expect(streams.store({ storeName: 'counts', type: countsType }).get('remote')).toBeUndefined();
    expect(streams.store({ storeName: 'counts', type: countsType, staleStoresEnabled: true, partition: 1 }).get('remote')).toBe(7);
  });

  it('serves a global store, with this host as its host', async () => {
    const fake = new FakeKafka({ lines: 1, out: 1, countries: 1 });
    fake.changelog.append({ topic: 'countries', partition: 0 }, new TextEncoder().encode('fr'), new TextEncoder().encode('France'));
    const builder = Stores.keyValueStoreBuilder({ name: 'countries', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const topology = wordCountTopology('lines', 'out').addGlobalStore(builder, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-loader', () => {
      let store: KeyValueStore<string | null, string | null>;
      return { init: (context) => void (store = context.getStateStore('countries')), process: (record: Record<string | null, string | null>) => store.put(record.key, record.value) };
    });
    const streams = new KafkaStreams(topology, { applicationId: 'app', bootstrapServers: 'fake:9092', stateDir: mkdtempSync(join(tmpdir(), 'kstreams-iq-')), applicationServer: 'localhost:7001' }, { clientFactory: fake });
    open.push(streams);
    fake.partitionsByHost = new Map([['localhost:7001', [{ topic: 'lines', partition: 0 }]]]);
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    expect(streams.store({ storeName: 'countries', type: QueryableStoreTypes.keyValueStore<string, string>() }).get('fr')).toBe('France');
    expect(streams.queryMetadataForKey('countries', 'fr', Serdes.string())).toEqual({ activeHost: { host: 'localhost', port: 7001 }, standbyHosts: [], partition: -1 });
    expect(streams.allMetadataForStore('countries').map((metadata) => metadata.stateStoreNames)).toEqual([['counts', 'countries'].sort()]);
  });
});

describe('KafkaStreams.queryMetadataForKey', () => {
  it('returns NOT_AVAILABLE before the first assignment, then the hosts of the assignment host map', async () => {
    const fake = new FakeKafka({ lines: 2, out: 2 });
    const streams = wordCount(fake);
    await streams.start();
    expect(streams.queryMetadataForKey('counts', 'kafka', Serdes.string())).toEqual({ activeHost: { host: 'unavailable', port: -1 }, standbyHosts: [], partition: -1 });
    fake.partitionsByHost = new Map([['localhost:7001', [{ topic: 'lines', partition: 0 }]], ['other:7002', [{ topic: 'lines', partition: 1 }]]]);
    fake.standbyPartitionsByHost = new Map([['localhost:7001', [{ topic: 'lines', partition: 1 }]]]);
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    const byPartition = (partition: number) => streams.queryMetadataForKey('counts', 'key', () => partition);
    expect(byPartition(0)).toEqual({ activeHost: { host: 'localhost', port: 7001 }, standbyHosts: [], partition: 0 });
    expect(byPartition(1)).toEqual({ activeHost: { host: 'other', port: 7002 }, standbyHosts: [{ host: 'localhost', port: 7001 }], partition: 1 });
    expect(streams.allMetadata().map((metadata) => `${metadata.hostInfo.host}:${metadata.hostInfo.port} ${metadata.stateStoreNames.join(',')} standby ${metadata.standbyStateStoreNames.join(',')}`)).toEqual([
      'localhost:7001 counts standby counts',
      'other:7002 counts standby ',
    ]);
    expect(streams.allMetadataForStore('counts')).toHaveLength(2);
    expect(() => streams.queryMetadataForKey('nope', 'key', Serdes.string())).toThrow(/"nope": no such store/);
  });
});
