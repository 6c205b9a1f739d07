import { Serdes } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { backend, describeWindowed, runWired } from './driver-fixture.test-helper.js';
import { slidingCount } from './sliding-window-aggregate.js';
import { SlidingWindows } from './windows.js';

const options = (windows: SlidingWindows, emitStrategy?: 'on-window-close') => ({
  storeName: 'sliding',
  backend: backend(),
  keySerde: Serdes.string(),
  aggregateSerde: Serdes.int64(),
  windows,
  ...(emitStrategy === undefined ? {} : { emitStrategy }),
});

describe('slidingCount', () => {
  // KStreamSlidingWindowAggregate: a record creates its left window [t - d, t], the previous
  // record's right window [prev + 1, prev + 1 + d] when it falls there, and (for out-of-order
  // records) its own right window [t + 1, t + 1 + d] seeded from the next window's aggregate;
  // windows are inclusive at both ends.
  it('creates left and right windows as records arrive, in order and out of order', () => {
    const { driver, pipe, take } = runWired(slidingCount(options(SlidingWindows.ofTimeDifferenceWithNoGrace(10))));
    pipe('a', 'x', 10);
    expect(take().map(describeWindowed)).toEqual(['a@0/10=1 (10)']);
    pipe('a', 'x', 15);
    expect(take().map(describeWindowed)).toEqual(['a@11/21=1 (15)', 'a@5/15=2 (15)']);
    pipe('a', 'x', 12); // its left window [2, 12] already closed (12 < stream time 15): not created
    expect(take().map(describeWindowed)).toEqual(['a@5/15=3 (15)', 'a@11/21=2 (15)', 'a@13/23=1 (15)']);
    expect(driver.droppedRecords().get('late-record')).toBe(1);
  });

  // processEarly: records before the first full time difference share the window [0, d].
  it('puts records earlier than the time difference into the [0, d] window', () => {
    const { pipe, take } = runWired(slidingCount(options(SlidingWindows.ofTimeDifferenceWithNoGrace(10))));
    pipe('a', 'x', 3);
    pipe('a', 'x', 7);
    expect(take().map(describeWindowed)).toEqual(['a@0/10=1 (3)', 'a@4/14=1 (7)', 'a@0/10=2 (7)']);
  });

  // A record is late when even its right window has closed: t + d + 1 <= streamTime - grace.
  it('drops a record whose windows are all closed, and records without a value', () => {
    const { driver, pipe, take } = runWired(slidingCount(options(SlidingWindows.ofTimeDifferenceAndGrace(10, 2))));
    pipe('a', 'x', 20);
    pipe('a', 'x', 7); // 7 + 10 + 1 = 18 <= close time 18: late, nothing written
    pipe('a', null, 21);
    expect(driver.droppedRecords().get('late-record')).toBe(1);
    expect(driver.droppedRecords().get('null-value')).toBe(1);
    expect(take().map(describeWindowed)).toEqual(['a@10/20=1 (20)']);
  });
});

describe('slidingCount with emitStrategy on-window-close', () => {
  // KIP-825 for sliding windows: each window once, after stream time passes its end + grace.
  it('forwards each window once, after it closes, with its final count', () => {
    const { pipe, take } = runWired(slidingCount(options(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), 'on-window-close')));
    pipe('a', 'x', 10);
    pipe('a', 'x', 15); // close time 10: [0, 10] is still open (end >= close time)
    pipe('a', 'x', 12);
    expect(take()).toEqual([]);
    pipe('a', 'x', 40); // close time 35: [0,10], [2,12], [5,15], [11,21], [13,23] closed
    expect(take().map(describeWindowed)).toEqual(['a@0/10=1 (10)', 'a@2/12=2 (12)', 'a@5/15=3 (15)', 'a@11/21=2 (15)', 'a@13/23=1 (15)']);
  });
});
