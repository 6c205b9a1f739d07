import { Serdes, Stores, Topology, type Processor } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../default-partitioner.js';
import { StreamsMetadataState } from './streams-metadata-state.js';
import { KEY_QUERY_METADATA_NOT_AVAILABLE } from './streams-metadata.js';

const noop = (): Processor<string | null, string | null, never, never> => ({ process: () => {} });

/** Two sub-topologies: `counts` reads `words` (4 partitions), `totals` reads `amounts` (2), plus a global store. */
function model() {
  const store = (name: string) => Stores.keyValueStoreBuilder({ name, backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() });
  return Topology.untyped()
    .addSource('words', { topics: ['words'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', noop, 'words')
    .addStateStore(store('counts'), 'count')
    .addSource('amounts', { topics: ['amounts'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('total', noop, 'amounts')
    .addStateStore(store('totals'), 'total')
    .addGlobalStore(store('countries').withLoggingDisabled(), 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-processor', noop)
    .build();
}

const partitions = (topic: string, ...numbers: number[]) => numbers.map((partition) => ({ topic, partition }));
const counts = new Map([['words', 4], ['amounts', 2]]);

function stateOf(applicationServer = 'a:1'): StreamsMetadataState {
  const state = new StreamsMetadataState({ model: model(), applicationServer, partitionCount: (topic) => counts.get(topic) });
  state.onAssignment(
    new Map([
      ['a:1', [...partitions('words', 0, 1), ...partitions('amounts', 0)]],
      ['b:2', [...partitions('words', 2, 3), ...partitions('amounts', 1)]],
    ]),
    new Map([['a:1', partitions('words', 2, 3)], ['b:2', partitions('words', 0, 1)]]),
  );
  return state;
}

describe('StreamsMetadataState', () => {
  it('returns the NOT_AVAILABLE metadata until an assignment with hosts arrived', () => {
    const state = new StreamsMetadataState({ model: model(), applicationServer: 'a:1', partitionCount: () => 4 });
    expect(state.keyQueryMetadata('counts', 'x', Serdes.string())).toBe(KEY_QUERY_METADATA_NOT_AVAILABLE);
    expect(KEY_QUERY_METADATA_NOT_AVAILABLE).toEqual({ activeHost: { host: 'unavailable', port: -1 }, standbyHosts: [], partition: -1 });
    expect(state.allMetadata()).toEqual([]);
    expect(state.localMetadata().stateStoreNames).toEqual(['countries']);
  });

  it('describes every host: its stores (global ones too), partitions and standbys', () => {
    const [a, b] = stateOf().allMetadata();
    expect(a).toEqual({
      hostInfo: { host: 'a', port: 1 },
      stateStoreNames: ['countries', 'counts', 'totals'],
      topicPartitions: [...partitions('amounts', 0), ...partitions('words', 0, 1)],
      standbyStateStoreNames: ['counts'],
      standbyTopicPartitions: partitions('words', 2, 3),
    });
    expect(b!.hostInfo).toEqual({ host: 'b', port: 2 });
    expect(stateOf('b:2').localMetadata()).toEqual(b);
  });

  it('finds the active and standby host of a key with the default partitioner over the key bytes', () => {
    const state = stateOf();
    for (const key of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
      const partition = partitionForKey(new TextEncoder().encode(key), 4);
      const metadata = state.keyQueryMetadata('counts', key, Serdes.string());
      const owner = partition < 2 ? { host: 'a', port: 1 } : { host: 'b', port: 2 };
      const standby = partition < 2 ? { host: 'b', port: 2 } : { host: 'a', port: 1 };
      expect(metadata).toEqual({ activeHost: owner, standbyHosts: [standby], partition });
    }
  });

  it('uses a given partitioner, and refuses one that returns no valid partition', () => {
    const state = stateOf();
    expect(state.keyQueryMetadata('totals', 'any', () => 1)).toEqual({ activeHost: { host: 'b', port: 2 }, standbyHosts: [], partition: 1 });
    expect(() => state.keyQueryMetadata('totals', 'any', () => 5)).toThrow(/returned 5 for topic "amounts" with 2 partitions; it must return a partition from 0 to 1/);
  });

  it('answers a global store with this host and no partition', () => {
    expect(stateOf().keyQueryMetadata('countries', 'fr', Serdes.string())).toEqual({ activeHost: { host: 'a', port: 1 }, standbyHosts: [], partition: -1 });
  });

  it('lists the hosts of a store: active or standby holders, every host for a global store', () => {
    const state = stateOf();
    expect(state.allMetadataForStore('totals').map((metadata) => metadata.hostInfo.host)).toEqual(['a', 'b']);
    expect(state.allMetadataForStore('countries')).toHaveLength(2);
    state.onAssignment(new Map([['a:1', partitions('amounts', 0, 1)], ['b:2', partitions('words', 0, 1, 2, 3)]]), new Map());
    expect(state.allMetadataForStore('totals').map((metadata) => metadata.hostInfo.host)).toEqual(['a']);
    expect(state.keyQueryMetadata('counts', 'alpha', Serdes.string()).activeHost).toEqual({ host: 'b', port: 2 });
  });
});
