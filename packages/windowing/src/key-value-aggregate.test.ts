import { Serdes } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { backend, runWired } from './driver-fixture.test-helper.js';
import { aggregate, count, reduce } from './key-value-aggregate.js';

const storeOptions = { storeName: 'totals', backend: backend(), keySerde: Serdes.string() };

describe('key-value aggregations', () => {
  // KStreamAggregate: per-key aggregate in a timestamped store; the forwarded timestamp is the
  // newest record's of the key; records with a null key or value are skipped and counted.
  it('count forwards the running count with the newest timestamp and skips null keys and values', () => {
    const { driver, pipe, take } = runWired(count({ ...storeOptions, aggregateSerde: Serdes.int64() }));
    pipe('a', 'x', 5);
    pipe('a', 'x', 3);
    pipe(null, 'x', 6);
    pipe('a', null, 7);
    expect(take().map((record) => [record.key, record.value, record.timestamp])).toEqual([['a', 1n, 5], ['a', 2n, 5]]);
    expect(driver.getTimestampedKeyValueStore<string, bigint>('totals').get('a')).toEqual({ value: 2n, timestamp: 5 });
    expect([...driver.droppedRecords()]).toEqual([['null-key', 1], ['null-value', 1]]);
  });

  it('reduce and aggregate fold values per key', () => {
    const reduced = runWired(reduce({ ...storeOptions, aggregateSerde: Serdes.string(), reducer: (left, right) => `${left}${right}` }));
    reduced.pipe('a', 'x', 1);
    reduced.pipe('a', 'y', 2);
    expect(reduced.take().map((record) => record.value)).toEqual(['x', 'xy']);
    const lengths = runWired(aggregate({ ...storeOptions, aggregateSerde: Serdes.int32(), initializer: () => 0, aggregator: (_key, value: string | null, total: number | null) => (total ?? 0) + (value ?? '').length }));
    lengths.pipe('a', 'abc', 1);
    lengths.pipe('a', 'de', 2);
    expect(lengths.take().map((record) => record.value)).toEqual([3, 5]);
  });
});
