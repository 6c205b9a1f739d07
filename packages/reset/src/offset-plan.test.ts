import { describe, expect, it } from 'vitest';
import { planInputOffsets, planSeekToEnd, type PartitionOffsets } from './offset-plan.js';

const partitions: PartitionOffsets[] = [
  { topic: 't', partition: 0, beginning: 10, end: 100, committed: 60, timestampOffset: 40 },
  { topic: 't', partition: 1, beginning: 0, end: 5, committed: -1, timestampOffset: -1 },
];
const offsets = (plan: { offset: number }[]) => plan.map((entry) => entry.offset);

describe('planInputOffsets', () => {
  it('goes to the log start or end', () => {
    expect(planInputOffsets({ type: 'to-earliest' }, partitions)).toEqual([
      { topic: 't', partition: 0, offset: 10, previous: 60 },
      { topic: 't', partition: 1, offset: 0, previous: -1 },
    ]);
    expect(offsets(planInputOffsets({ type: 'to-latest' }, partitions))).toEqual([100, 5]);
  });

  it('takes the timestamp offset, or the end with a note when no record is that recent', () => {
    const plan = planInputOffsets({ type: 'to-datetime', timestamp: 1 }, partitions);
    expect(offsets(plan)).toEqual([40, 5]);
    expect(plan[1]!.note).toMatch(/no record at or after that time/);
  });

  it('clamps --to-offset into the log, as Java does', () => {
    const plan = planInputOffsets({ type: 'to-offset', offset: 7 }, partitions);
    expect(offsets(plan)).toEqual([10, 5]);
    expect(plan[0]!.note).toMatch(/7 is before the log start/);
    expect(plan[1]!.note).toMatch(/7 is past the end/);
  });

  it('shifts from the committed offset, or from the end without one', () => {
    const plan = planInputOffsets({ type: 'shift-by', shift: -20 }, partitions);
    expect(offsets(plan)).toEqual([40, 0]);
    expect(plan[1]!.note).toMatch(/no committed offset: shifted from the end; -15 is before the log start/);
    expect(offsets(planInputOffsets({ type: 'shift-by', shift: 1000 }, partitions))).toEqual([100, 5]);
  });

  it('reads a plan per partition and names a partition the plan misses', () => {
    const plan = planInputOffsets({ type: 'from-file', offsets: [{ topic: 't', partition: 0, offset: 50 }, { topic: 't', partition: 1, offset: 2 }, { topic: 'other', partition: 0, offset: 1 }] }, partitions);
    expect(offsets(plan)).toEqual([50, 2]);
    expect(() => planInputOffsets({ type: 'from-file', offsets: [{ topic: 't', partition: 0, offset: 50 }] }, partitions)).toThrow(/--from-file has no line for partition 1 of input topic "t"/);
  });
});

describe('planSeekToEnd', () => {
  it('moves every partition to its end', () => {
    expect(planSeekToEnd(partitions)).toEqual([
      { topic: 't', partition: 0, offset: 100, previous: 60 },
      { topic: 't', partition: 1, offset: 5, previous: -1 },
    ]);
  });
});
