import { describe, expect, it } from 'vitest';
import { computeTaskLags, isCaughtUp, LATEST_OFFSET, UNKNOWN_OFFSET_SUM } from './task-lags.js';

describe('computeTaskLags', () => {
  it('is the end offset sum minus the offset sum, the whole changelog without state, and keeps the sentinels', () => {
    const lags = computeTaskLags(
      new Map([['0_0', 90], ['0_1', LATEST_OFFSET], ['0_2', UNKNOWN_OFFSET_SUM], ['0_4', 500]]),
      new Map([['0_0', 100], ['0_1', 100], ['0_2', 100], ['0_3', 100], ['0_4', 100]]),
    );
    expect(Object.fromEntries(lags)).toEqual({ '0_0': 10, '0_1': LATEST_OFFSET, '0_2': UNKNOWN_OFFSET_SUM, '0_3': 100, '0_4': 100 });
  });

  it('counts a running active and a lag within the acceptable lag as caught up, nothing else', () => {
    expect([isCaughtUp(LATEST_OFFSET, 10), isCaughtUp(10, 10), isCaughtUp(11, 10), isCaughtUp(UNKNOWN_OFFSET_SUM, 10)]).toEqual([true, true, false, false]);
  });
});
