import type { ChangelogRecord } from '@kstreams/changelog';
import { Serdes } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { checkCrashOutput, formatCrashCheck } from './crash-output-check.js';

let offset = 0;
function output(key: string, seq: number, sum: number): ChangelogRecord {
  return { offset: offset++, key: Buffer.from(key), value: Buffer.from(JSON.stringify({ seq, sum })), timestamp: 0 };
}
function logged(key: string, sum: number): ChangelogRecord {
  return { offset: offset++, key: Buffer.from(key), value: Serdes.int64Number().serialize('changelog', sum), timestamp: 0 };
}

const trueSums = new Map([
  ['a', 5],
  ['b', 7],
]);

describe('checkCrashOutput', () => {
  it('finds nothing wrong in an exact output', () => {
    const check = checkCrashOutput({
      expected: 3,
      trueSums,
      output: [[output('a', 0, 2), output('a', 2, 5)], [output('b', 1, 7)]],
      changelog: [[logged('a', 5)], [logged('b', 7)]],
      storeSums: new Map(trueSums),
    });
    expect(check).toMatchObject({ seen: 3, lost: 0, duplicated: 0, outputRecords: 3, wrongOutputSums: 0, wrongStoreSums: 0, wrongChangelogSums: 0 });
  });

  it('counts lost and duplicated sequence numbers and inflated or missing sums', () => {
    const check = checkCrashOutput({
      expected: 4,
      trueSums,
      // seq 1 and 3 lost, seq 0 output twice (the replay inflated a's sum by 2).
      output: [[output('a', 0, 2), output('a', 2, 5), output('a', 0, 7)], []],
      changelog: [[logged('a', 2), logged('a', 7)], []],
      storeSums: new Map([['a', 5]]),
    });
    expect(check).toMatchObject({ expected: 4, seen: 2, lost: 2, duplicated: 1, outputRecords: 3, lostSample: [1, 3] });
    // a ends at 7 instead of 5, b has no output at all.
    expect(check).toMatchObject({ wrongOutputSums: 2, maxOutputSumError: 7, wrongStoreSums: 1, wrongChangelogSums: 2 });
    expect(formatCrashCheck(check)).toContain('first lost seqs                1, 3');
  });
});
