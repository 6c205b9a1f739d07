import { describe, expect, it } from 'vitest';
import { createCacheBudget } from '../cache-budget.js';
import { bytesToOrderedString } from './bytes.js';
import { RecordCache } from './record-cache.js';
import { SortedKeyIndex } from './sorted-key-index.js';

/** A small deterministic generator (LCG), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

const bytesOf = (values: readonly number[]): Uint8Array => Uint8Array.from(values);
const keyText = (key: Uint8Array): string => [...key].join('.');

describe('SortedKeyIndex', () => {
  it('keeps thousands of inserted and removed keys in order, across chunk splits and merges', () => {
    const index = new SortedKeyIndex();
    const reference = new Set<string>();
    const next = random(7);
    for (let step = 0; step < 20_000; step++) {
      const key = String.fromCharCode(Math.floor(next() * 256), Math.floor(next() * 256));
      if (reference.has(key) && next() < 0.6) {
        index.remove(key);
        reference.delete(key);
      } else if (!reference.has(key)) {
        index.insert(key);
        reference.add(key);
      }
    }
    const sorted = [...reference].sort();
    expect(index.size).toBe(sorted.length);
    expect(index.keysBetween(undefined, undefined)).toEqual(sorted);
    const from = String.fromCharCode(40);
    const to = String.fromCharCode(90, 7);
    expect(index.keysBetween(from, to)).toEqual(sorted.filter((key) => key >= from && key <= to));
    expect(index.keysBetween(from, to, true)).toEqual(sorted.filter((key) => key >= from && key < to));
  });

  it('ignores removal of a key it does not hold', () => {
    const index = new SortedKeyIndex();
    index.insert('b');
    index.remove('a');
    index.remove('c');
    expect(index.keysBetween(undefined, undefined)).toEqual(['b']);
  });
});

describe('RecordCache', () => {
  it('agrees with a reference model on LRU order, ranges, prefixes and dirty entries under random use', () => {
    const budget = createCacheBudget(Number.MAX_SAFE_INTEGER);
    const cache = new RecordCache(budget);
    const model = new Map<string, { key: Uint8Array; value: Uint8Array | null; dirty: boolean }>();
    const touch = (text: string): void => {
      const entry = model.get(text);
      if (entry === undefined) return;
      model.delete(text);
      model.set(text, entry);
    };
    // Dirty keys in the order of their last dirty write (Kafka Streams' NamedCache.dirtyKeys).
    const dirtyOrder = new Set<string>();
    const next = random(11);
    for (let step = 0; step < 5_000; step++) {
      const key = bytesOf([Math.floor(next() * 6), Math.floor(next() * 40)]);
      const text = bytesToOrderedString(key);
      const roll = next();
      if (roll < 0.45) {
        const value = next() < 0.2 ? null : bytesOf([step & 0xff]);
        const dirty = next() < 0.8;
        const previous = model.get(text);
        model.delete(text);
        model.set(text, { key, value, dirty: dirty || (previous?.dirty ?? false) });
        if (dirty) {
          dirtyOrder.delete(text);
          dirtyOrder.add(text);
        }
        cache.put(key, value, { dirty, timestampMs: step });
      } else if (roll < 0.7) {
        expect(cache.get(key)?.value).toEqual(model.get(text)?.value);
        touch(text);
      } else if (roll < 0.8) {
        cache.remove(key);
        model.delete(text);
        dirtyOrder.delete(text);
      } else if (roll < 0.85) {
        const eldest = model.keys().next();
        expect(cache.eldest()?.key).toEqual(eldest.done === true ? undefined : model.get(eldest.value)?.key);
        cache.removeEldest();
        if (eldest.done !== true) {
          model.delete(eldest.value);
          dirtyOrder.delete(eldest.value);
        }
      } else if (roll < 0.95) {
        const sorted = [...model.keys()].sort();
        const from = bytesOf([2]);
        const to = bytesOf([4, 10]);
        const inRange = sorted.filter((entry) => entry >= bytesToOrderedString(from) && entry <= bytesToOrderedString(to));
        expect(cache.range(from, to, true).map((entry) => keyText(entry.key))).toEqual(
          inRange.reverse().map((entry) => keyText(model.get(entry)?.key as Uint8Array)),
        );
        const prefixed = sorted.filter((entry) => entry.charCodeAt(0) === 3);
        expect(cache.prefixRange(bytesOf([3]), false).map((entry) => keyText(entry.key))).toEqual(
          prefixed.map((entry) => keyText(model.get(entry)?.key as Uint8Array)),
        );
      } else {
        const expected = [...dirtyOrder].map((dirtyText) => [dirtyText, model.get(dirtyText)] as const).filter((pair): pair is readonly [string, { key: Uint8Array; value: Uint8Array | null; dirty: boolean }] => pair[1]?.dirty === true);
        dirtyOrder.clear();
        expect(cache.takeDirty().map((entry) => keyText(entry.key))).toEqual(expected.map(([, entry]) => keyText(entry.key)));
        for (const [text, entry] of expected) {
          if (entry.value === null) model.delete(text);
          else entry.dirty = false;
        }
      }
      expect(cache.size).toBe(model.size);
      expect(cache.dirtyCount).toBe([...model.values()].filter((entry) => entry.dirty).length);
    }
    expect(budget.usedBytes()).toBe(cache.sizeBytes);
    cache.clear();
    expect(budget.usedBytes()).toBe(0);
  });

  it('scans every key starting with an all-0xff prefix, which has no upper bound', () => {
    const cache = new RecordCache(createCacheBudget(1_000_000));
    for (const key of [[0xfe], [0xff], [0xff, 0x00], [0xff, 0xff], [0xff, 0xff, 0x01]]) {
      cache.put(bytesOf(key), bytesOf([1]), { dirty: false, timestampMs: 0 });
    }
    expect(cache.prefixRange(bytesOf([0xff, 0xff]), false).map((entry) => keyText(entry.key))).toEqual(['255.255', '255.255.1']);
    expect(cache.prefixRange(bytesOf([0xff]), true).map((entry) => keyText(entry.key))).toEqual(['255.255.1', '255.255', '255.0', '255']);
  });
});
