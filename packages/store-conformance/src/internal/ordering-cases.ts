import { describe, expect, it } from 'vitest';
import type { KeyValueBytesStore } from '@kstreams/core';
import { bytes, drainKeys, fromHex } from './bytes.js';
import type { ConformanceContext } from './conformance-context.js';

/** Keys chosen for their edges: 0x00/0x7f/0x80/0xff bytes, prefixes of each other, lengths 1..3. */
const EDGE_KEYS = ['00', '0000', '01', '0100', '01ff', '01ffff', '02', '7f', '80', 'fe', 'feff', 'ff', 'ff00', 'ffff', 'ffffff'];

function fill(store: KeyValueBytesStore, keys: readonly string[] = EDGE_KEYS): void {
  // Written out of order so the store, not the insertion order, has to sort them.
  for (const key of [...keys].reverse()) store.put(fromHex(key), fromHex(key));
}

/** Byte order, range bounds and prefix scans. */
export function orderingCases(context: () => ConformanceContext): void {
  describe('byte order', () => {
    it('returns all keys in unsigned byte order', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range())).toEqual(EDGE_KEYS);
    });

    it('returns all keys in reverse byte order when reverse is set', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ reverse: true }))).toEqual([...EDGE_KEYS].reverse());
    });

    it('sorts 0x80..0xff after 0x00..0x7f (bytes are unsigned)', () => {
      const store = context().open();
      for (const value of [0xff, 0x80, 0x7f, 0x00, 0x81, 0x01]) store.put(bytes(value), bytes(value));
      expect(drainKeys(store.range())).toEqual(['00', '01', '7f', '80', '81', 'ff']);
    });

    it('returns an empty iterator for an empty store', () => {
      const store = context().open();
      expect(drainKeys(store.range())).toEqual([]);
      expect(drainKeys(store.range({ reverse: true }))).toEqual([]);
      expect(drainKeys(store.prefixScan(bytes(1)))).toEqual([]);
    });
  });

  describe('range', () => {
    it('includes both bounds', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ from: fromHex('01'), to: fromHex('02') }))).toEqual(['01', '0100', '01ff', '01ffff', '02']);
    });

    it('includes both bounds in reverse', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ from: fromHex('01'), to: fromHex('02'), reverse: true }))).toEqual(['02', '01ffff', '01ff', '0100', '01']);
    });

    it('accepts bounds that are not keys of the store', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ from: fromHex('0001'), to: fromHex('01fe') }))).toEqual(['01', '0100']);
      expect(drainKeys(store.range({ from: fromHex('0001'), to: fromHex('01fe'), reverse: true }))).toEqual(['0100', '01']);
    });

    it('treats a missing from as the first key and a missing to as the last key', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ to: fromHex('0100') }))).toEqual(['00', '0000', '01', '0100']);
      expect(drainKeys(store.range({ from: fromHex('fe') }))).toEqual(['fe', 'feff', 'ff', 'ff00', 'ffff', 'ffffff']);
      expect(drainKeys(store.range({ from: fromHex('fe'), reverse: true }))).toEqual(['ffffff', 'ffff', 'ff00', 'ff', 'feff', 'fe']);
      expect(drainKeys(store.range({ to: fromHex('0000'), reverse: true }))).toEqual(['0000', '00']);
    });

    it('is empty when from is after to, forward and reverse', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ from: fromHex('02'), to: fromHex('01') }))).toEqual([]);
      expect(drainKeys(store.range({ from: fromHex('02'), to: fromHex('01'), reverse: true }))).toEqual([]);
    });

    it('returns exactly one key when from equals to', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.range({ from: fromHex('01ff'), to: fromHex('01ff') }))).toEqual(['01ff']);
      expect(drainKeys(store.range({ from: fromHex('01ff'), to: fromHex('01ff'), reverse: true }))).toEqual(['01ff']);
    });

    it('is empty when the range lies before, after or between the keys', () => {
      const store = context().open();
      for (const key of ['10', '20']) store.put(fromHex(key), bytes(1));
      expect(drainKeys(store.range({ to: fromHex('0fff') }))).toEqual([]);
      expect(drainKeys(store.range({ from: fromHex('2000') }))).toEqual([]);
      expect(drainKeys(store.range({ from: fromHex('1000'), to: fromHex('1fff'), reverse: true }))).toEqual([]);
    });
  });

  describe('prefixScan', () => {
    it('returns the keys that start with the prefix, including the prefix itself', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.prefixScan(fromHex('01')))).toEqual(['01', '0100', '01ff', '01ffff']);
      expect(drainKeys(store.prefixScan(fromHex('01'), { reverse: true }))).toEqual(['01ffff', '01ff', '0100', '01']);
    });

    it('handles prefixes ending in 0xff bytes', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.prefixScan(fromHex('01ff')))).toEqual(['01ff', '01ffff']);
      expect(drainKeys(store.prefixScan(fromHex('01ff'), { reverse: true }))).toEqual(['01ffff', '01ff']);
      expect(drainKeys(store.prefixScan(fromHex('ff')))).toEqual(['ff', 'ff00', 'ffff', 'ffffff']);
      expect(drainKeys(store.prefixScan(fromHex('ffff'), { reverse: true }))).toEqual(['ffffff', 'ffff']);
    });

    it('handles a 0x00 prefix', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.prefixScan(fromHex('00')))).toEqual(['00', '0000']);
      expect(drainKeys(store.prefixScan(fromHex('0000'), { reverse: true }))).toEqual(['0000']);
    });

    it('returns nothing when no key has the prefix', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.prefixScan(fromHex('03')))).toEqual([]);
      expect(drainKeys(store.prefixScan(fromHex('03'), { reverse: true }))).toEqual([]);
      expect(drainKeys(store.prefixScan(fromHex('01ffffff')))).toEqual([]);
    });

    it('returns every key for an empty prefix', () => {
      const store = context().open();
      fill(store);
      expect(drainKeys(store.prefixScan(bytes()))).toEqual(EDGE_KEYS);
      expect(drainKeys(store.prefixScan(bytes(), { reverse: true }))).toEqual([...EDGE_KEYS].reverse());
    });

    it('does not change the prefix buffer it was given', () => {
      const store = context().open();
      fill(store);
      const prefix = Buffer.from([0x01, 0xff]);
      drainKeys(store.prefixScan(prefix, { reverse: true }));
      expect([...prefix]).toEqual([0x01, 0xff]);
    });
  });
}
