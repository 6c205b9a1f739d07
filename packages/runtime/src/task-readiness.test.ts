import { describe, expect, it } from 'vitest';
import { TaskReadiness } from './task-readiness.js';

const left = { topic: 'left', partition: 0 };
const right = { topic: 'right', partition: 0 };

function setup(maxTaskIdleMs: number) {
  let now = 0;
  const readiness = new TaskReadiness({ maxTaskIdleMs, nowMs: () => now });
  const buffered = new Map<string, number>();
  const count = (partition: { topic: string }) => buffered.get(partition.topic) ?? 0;
  const ask = () => readiness.processableRecords('0_0', [left, right], count, 500);
  return { readiness, buffered, ask, advance: (ms: number) => (now += ms) };
}

describe('TaskReadiness', () => {
  it('lets a task with data on every partition process at most the smallest buffered count', () => {
    const { buffered, ask } = setup(0);
    buffered.set('left', 3).set('right', 100);
    expect(ask()).toBe(3);
  });

  it('waits while an empty partition is known to have unfetched records', () => {
    const { readiness, buffered, ask, advance } = setup(0);
    buffered.set('left', 5);
    readiness.recordFetch(right, 10, 20);
    advance(60_000);
    expect(ask()).toBe(0);
    readiness.recordFetch(right, 20, 20);
    expect(ask()).toBe(500);
  });

  it('idles up to maxTaskIdleMs for an empty, caught-up partition, then processes anyway', () => {
    const { buffered, ask, advance } = setup(1_000);
    buffered.set('left', 5);
    expect(ask()).toBe(0);
    advance(999);
    expect(ask()).toBe(0);
    advance(1);
    expect(ask()).toBe(500);
  });

  it('never waits with maxTaskIdleMs = -1', () => {
    const { readiness, buffered, ask } = setup(-1);
    buffered.set('left', 5);
    readiness.recordFetch(right, 0, 100);
    expect(ask()).toBe(500);
  });

  it('does not wait for single-partition tasks and returns 0 when nothing is buffered', () => {
    const readiness = new TaskReadiness({ maxTaskIdleMs: 5_000 });
    expect(readiness.processableRecords('0_0', [left], () => 2, 500)).toBe(500);
    expect(readiness.processableRecords('0_0', [left, right], () => 0, 500)).toBe(0);
  });
});
