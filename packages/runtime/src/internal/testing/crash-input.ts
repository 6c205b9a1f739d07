import type { SumInput } from './running-sum-topology.js';

/** One input record of the crash suite: its key (and the key's index) and its value. */
export interface CrashInputRecord {
  readonly keyIndex: number;
  readonly key: string;
  readonly value: SumInput;
}

/**
 * Input record number `seq`, the same on every call: keys cycle through `keyCount` keys in a
 * scattered order (so every partition sees every key's turn), amounts run from 1 to 97.
 */
export function crashInputRecord(seq: number, keyCount: number): CrashInputRecord {
  const keyIndex = (seq * 7_919) % keyCount;
  return { keyIndex, key: `key-${String(keyIndex).padStart(4, '0')}`, value: { seq, amount: 1 + ((seq * 31) % 97) } };
}

/** The true final sum of every key after input records 0 … `count` - 1. */
export function trueSums(count: number, keyCount: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (let seq = 0; seq < count; seq++) {
    const { key, value } = crashInputRecord(seq, keyCount);
    sums.set(key, (sums.get(key) ?? 0) + value.amount);
  }
  return sums;
}
