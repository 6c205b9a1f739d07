import { describe, expect, it } from 'vitest';
import { Serdes, Stores, Topology, type Processor } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { checkInternalTopicPartitions, internalTopics, patternMatchedTopics, subtopologyPartitionCount } from './internal-topics.js';

const noop = (): Processor<unknown, unknown, unknown, unknown> => ({ process: () => undefined });
const serdes = { keySerde: Serdes.string(), valueSerde: Serdes.string() };

function windowedTopology() {
  return Topology.untyped()
    .addSource('in', { topics: ['input'], ...serdes })
    .addProcessor('windowed', noop, 'in')
    .addStateStore(Stores.windowStoreBuilder({ name: 'windows', backend: inMemoryBackend(), retentionMs: 3_600_000, windowSizeMs: 60_000, ...serdes }), 'windowed')
    .addStateStore(Stores.sessionStoreBuilder({ name: 'sessions', backend: inMemoryBackend(), retentionMs: 7_200_000, ...serdes }), 'windowed')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), ...serdes }), 'windowed')
    .build();
}

function patternTopology() {
  return Topology.untyped()
    .addSource('events', { pattern: /events-.*/, ...serdes })
    .addProcessor('count', noop, 'events')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), ...serdes }), 'count')
    .build();
}

const base = { applicationId: 'app', replicationFactor: 1 };

describe('internalTopics', () => {
  it('gives windowed changelogs the store retention plus one day, and key-value changelogs compaction only', () => {
    const topics = internalTopics(windowedTopology(), { ...base, partitionCounts: new Map([['input', 4]]) });
    const configs = Object.fromEntries(topics.map((topic) => [topic.topic, topic.configs]));
    expect(configs['app-windows-changelog']).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': String(3_600_000 + 86_400_000) });
    expect(configs['app-sessions-changelog']).toEqual({ 'cleanup.policy': 'compact,delete', 'retention.ms': String(7_200_000 + 86_400_000) });
    expect(configs['app-counts-changelog']).toEqual({ 'cleanup.policy': 'compact' });
    expect(topics.every((topic) => topic.numPartitions === 4)).toBe(true);
  });

  it('uses windowstoreChangelogAdditionalRetentionMs when given', () => {
    const topics = internalTopics(windowedTopology(), { ...base, partitionCounts: new Map([['input', 1]]), windowstoreChangelogAdditionalRetentionMs: 0 });
    expect(topics.find((topic) => topic.topic === 'app-windows-changelog')?.configs?.['retention.ms']).toBe('3600000');
  });

  it('creates the changelog of a sub-topology with only pattern sources, sized by the topics the pattern matches', () => {
    const counts = new Map([
      ['events-a', 3],
      ['events-b', 6],
      ['other', 12],
      ['xevents-c', 9],
    ]);
    expect(internalTopics(patternTopology(), { ...base, partitionCounts: counts })).toEqual([
      { topic: 'app-counts-changelog', numPartitions: 6, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } },
    ]);
  });

  it('creates no changelog while the pattern matches no topic', () => {
    expect(internalTopics(patternTopology(), { ...base, partitionCounts: new Map([['other', 2]]) })).toEqual([]);
  });
});

describe('patternMatchedTopics', () => {
  it('keeps the existing topics a pattern source matches as a whole', () => {
    expect(patternMatchedTopics(patternTopology(), ['events-a', 'other', 'xevents-c', 'events-b'])).toEqual(['events-a', 'events-b']);
  });

  it('matches nothing for a topology without pattern sources', () => {
    expect(patternMatchedTopics(windowedTopology(), ['input', 'events-a'])).toEqual([]);
  });
});

describe('subtopologyPartitionCount', () => {
  it('takes the most partitions among fixed source topics', () => {
    const subtopology = windowedTopology().subtopologies[0]!;
    expect(subtopologyPartitionCount(subtopology, new Map([['input', 5]]))).toBe(5);
    expect(subtopologyPartitionCount(subtopology, new Map())).toBe(0);
  });
});

describe('checkInternalTopicPartitions', () => {
  const expected = [
    { topic: 'app-counts-changelog', numPartitions: 4, replicationFactor: 1 },
    { topic: 'app-windows-changelog', numPartitions: 4, replicationFactor: 1 },
  ];

  it('accepts existing topics with the expected count and ignores missing ones', () => {
    expect(() => checkInternalTopicPartitions(expected, new Map([['app-counts-changelog', 4]]))).not.toThrow();
  });

  it('names every internal topic whose partition count differs, and the fix', () => {
    const actual = new Map([
      ['app-counts-changelog', 2],
      ['app-windows-changelog', 8],
    ]);
    expect(() => checkInternalTopicPartitions(expected, actual)).toThrow(
      'Existing internal topics have the wrong partition count: "app-counts-changelog" has 2, expected 4; "app-windows-changelog" has 8, expected 4',
    );
    expect(() => checkInternalTopicPartitions(expected, actual)).toThrow(/reset the application/);
  });
});
