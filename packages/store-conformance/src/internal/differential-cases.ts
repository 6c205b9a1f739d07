import type { KeyValueBytesStore } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { drain, hex } from './bytes.js';
import type { ConformanceContext } from './conformance-context.js';
import { ReferenceModel } from './reference-model.js';
import { SeededRandom } from './seeded-random.js';

/** Few distinct bytes and short keys: many collisions, prefixes and 0x00/0xff edges. */
const ALPHABET = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
const SEEDS = [1, 42, 20_240_601];
const OPERATIONS_PER_SEED = 1_500;

function randomBytes(random: SeededRandom, maxLength: number, minLength = 1): Uint8Array {
  const length = minLength + random.below(maxLength - minLength + 1);
  return Uint8Array.from({ length }, () => random.pick(ALPHABET));
}

type Step = (store: KeyValueBytesStore, model: ReferenceModel, random: SeededRandom) => void;

const STEPS: Step[] = [
  (store, model, random) => {
    const key = randomBytes(random, 3);
    const value = randomBytes(random, 2, 0);
    store.put(key, value);
    model.put(key, value);
  },
  (store, model, random) => {
    const key = randomBytes(random, 3);
    const removed = store.delete(key);
    expect(removed === undefined ? undefined : hex(removed)).toBe(model.put(key, null));
  },
  (store, model, random) => {
    const entries = Array.from({ length: random.below(6) }, () => ({
      key: randomBytes(random, 3),
      value: random.below(3) === 0 ? null : randomBytes(random, 2, 0),
    }));
    store.putAll(entries);
    for (const { key, value } of entries) model.put(key, value);
  },
  (store, model, random) => {
    const keys = Array.from({ length: random.below(4) }, () => randomBytes(random, 3));
    store.deleteAll(keys);
    for (const key of keys) model.put(key, null);
  },
  (store, model, random) => {
    const keys = Array.from({ length: 1 + random.below(4) }, () => randomBytes(random, 3));
    expect(store.getMany(keys).map((value) => (value === undefined ? undefined : hex(value)))).toEqual(keys.map((key) => model.get(key)));
  },
  (store, model, random) => {
    const from = random.below(4) === 0 ? undefined : randomBytes(random, 3);
    const to = random.below(4) === 0 ? undefined : randomBytes(random, 3);
    const reverse = random.below(2) === 0;
    const options = { reverse, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
    expect(drain(store.range(options))).toEqual(model.range(from, to, reverse));
  },
  (store, model, random) => {
    const prefix = randomBytes(random, 2, 0);
    const reverse = random.below(2) === 0;
    expect(drain(store.prefixScan(prefix, { reverse }))).toEqual(model.prefixScan(prefix, reverse));
  },
];

/** Random operations checked step by step against {@link ReferenceModel}. */
export function differentialCases(context: () => ConformanceContext): void {
  describe('randomized differential test against a reference model', () => {
    it.each(SEEDS)('matches the model for every operation with seed %i', { timeout: 30_000 }, (seed) => {
      const store = context().open();
      const model = new ReferenceModel();
      const random = new SeededRandom(seed);
      for (let step = 0; step < OPERATIONS_PER_SEED; step++) random.pick(STEPS)(store, model, random);
      expect(drain(store.range())).toEqual(model.range(undefined, undefined, false));
      expect(store.approximateNumEntries()).toBe(model.size);
    });
  });
}
