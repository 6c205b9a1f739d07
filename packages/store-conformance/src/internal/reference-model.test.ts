import { describe, expect, it } from 'vitest';
import { bytes } from './bytes.js';
import { ReferenceModel } from './reference-model.js';
import { SeededRandom } from './seeded-random.js';

describe('ReferenceModel', () => {
  it('orders keys byte-wise, with prefixes first and 0xff last', () => {
    const model = new ReferenceModel();
    for (const key of [bytes(0xff), bytes(0x01, 0x00), bytes(0x01), bytes(0x80), bytes(0x00, 0xff)]) model.put(key, bytes());
    expect(model.range(undefined, undefined, false).map(([key]) => key)).toEqual(['00ff', '01', '0100', '80', 'ff']);
  });

  it('applies inclusive bounds, reverse order and prefixes', () => {
    const model = new ReferenceModel();
    for (let value = 0; value < 5; value++) model.put(bytes(1, value), bytes(value));
    expect(model.range(bytes(1, 1), bytes(1, 3), true).map(([key]) => key)).toEqual(['0103', '0102', '0101']);
    expect(model.prefixScan(bytes(1), false)).toHaveLength(5);
    expect(model.prefixScan(bytes(2), false)).toEqual([]);
  });

  it('returns the previous value on put and delete', () => {
    const model = new ReferenceModel();
    expect(model.put(bytes(1), bytes(7))).toBeUndefined();
    expect(model.put(bytes(1), null)).toBe('07');
    expect(model.size).toBe(0);
  });
});

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const first = new SeededRandom(7);
    const second = new SeededRandom(7);
    const draws = Array.from({ length: 20 }, () => [first.below(1_000_000), second.below(1_000_000)]);
    expect(draws.every(([left, right]) => left === right)).toBe(true);
    const other = new SeededRandom(8);
    expect(draws.map(([left]) => left)).not.toEqual(draws.map(() => other.below(1_000_000)));
  });

  it('stays within the requested bound', () => {
    const random = new SeededRandom(3);
    const values = Array.from({ length: 1000 }, () => random.below(6));
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(5);
  });
});
