import { describe, expect, it } from 'vitest';
import { compareBytes, prefixUpperBound, startsWithBytes } from './compare-bytes.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('compareBytes', () => {
  it('orders bytes as unsigned values', () => {
    expect(compareBytes(bytes(0x7f), bytes(0x80))).toBeLessThan(0);
    expect(compareBytes(bytes(0xff), bytes(0x00))).toBeGreaterThan(0);
  });

  it('sorts a prefix before the longer key', () => {
    expect(compareBytes(bytes(1, 2), bytes(1, 2, 0))).toBeLessThan(0);
    expect(compareBytes(bytes(), bytes(0))).toBeLessThan(0);
  });

  it('returns zero for equal content in different arrays', () => {
    expect(compareBytes(bytes(1, 2, 3), Buffer.from([1, 2, 3]))).toBe(0);
  });
});

describe('prefixUpperBound', () => {
  it('increments the last byte that is not 0xff', () => {
    expect(prefixUpperBound(bytes(1, 0xff, 0xff))).toEqual(bytes(2));
    expect(prefixUpperBound(bytes(1, 2))).toEqual(bytes(1, 3));
  });

  it('has no bound for an empty or all-0xff prefix', () => {
    expect(prefixUpperBound(bytes())).toBeUndefined();
    expect(prefixUpperBound(bytes(0xff, 0xff))).toBeUndefined();
  });

  it('leaves a Buffer prefix unchanged', () => {
    const prefix = Buffer.from([5, 6]);
    prefixUpperBound(prefix);
    expect([...prefix]).toEqual([5, 6]);
  });
});

describe('startsWithBytes', () => {
  it('matches every key for an empty prefix and rejects shorter keys', () => {
    expect(startsWithBytes(bytes(), bytes())).toBe(true);
    expect(startsWithBytes(bytes(1), bytes(1, 2))).toBe(false);
    expect(startsWithBytes(bytes(1, 2, 3), bytes(1, 2))).toBe(true);
  });
});
