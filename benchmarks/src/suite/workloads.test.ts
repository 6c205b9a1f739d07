import { describe, expect, it } from 'vitest';
import { describeAggregate, encodeAggregate, expectedAggregates, expectedCounts, expectedStatelessOutput, inputKey, inputValue, keepsRecord, type InputShape } from './workloads.js';

describe('suite workloads', () => {
  it('writes JSON values of exactly the requested size', () => {
    for (const size of [100, 256]) {
      const value = inputValue(1_234_567, size);
      expect(value.length).toBe(size);
      expect(JSON.parse(value.toString('utf8'))).toMatchObject({ seq: 1_234_567, amount: 567 });
    }
  });

  it('spreads keys over the requested key space', () => {
    const keys = new Set(Array.from({ length: 50_000 }, (_, sequence) => inputKey(sequence, 10_000)));
    expect(keys.size).toBeGreaterThan(9_900);
    expect([...keys].every((key) => Number(key.slice(4)) < 10_000)).toBe(true);
  });

  it('keeps nine records in ten in W1', () => {
    expect(keepsRecord(10)).toBe(false);
    expect(keepsRecord(11)).toBe(true);
    expect(expectedStatelessOutput(25)).toBe(22);
  });

  it('computes the expected counts and sums per key', () => {
    const input: InputShape = { name: 'test', records: 1_000, keys: 3, valueBytes: 100, partitions: 1 };
    const counts = expectedCounts(input);
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(1_000);
    const aggregates = expectedAggregates(input);
    const total = [...aggregates.values()].reduce((sum, text) => sum + Number(text.split(':')[1]), 0);
    expect(total).toBe((999 * 1000) / 2);
    expect(aggregates.get('key-0')?.split(':')[0]).toBe(String(counts.get('key-0')));
  });

  it('round-trips an aggregate through its bytes', () => {
    const bytes = encodeAggregate(7, 12_345, inputValue(3, 256));
    expect(bytes.length).toBe(272);
    expect(describeAggregate(bytes)).toBe('7:12345');
  });
});
