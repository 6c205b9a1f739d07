import { Serdes, type WindowStore, type ValueAndTimestamp } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { backend, describeWindowed, runWired } from './driver-fixture.test-helper.js';
import { windowedAggregate, windowedCount, windowedReduce } from './time-window-aggregate.js';
import { TimeWindows } from './windows.js';

const countOptions = (windows: TimeWindows, emitStrategy?: 'on-window-update' | 'on-window-close') => ({
  storeName: 'counts',
  backend: backend(),
  keySerde: Serdes.string(),
  aggregateSerde: Serdes.int64(),
  windows,
  ...(emitStrategy === undefined ? {} : { emitStrategy }),
});

describe('windowedCount over tumbling windows', () => {
  // KStreamWindowAggregate: a window takes a record while windowEnd > streamTime - grace; each
  // update is forwarded with the newest record timestamp of the window.
  it('counts per key and window and forwards every update with the newest record timestamp', () => {
    const { pipe, take } = runWired(windowedCount(countOptions(TimeWindows.ofSizeWithNoGrace(10))));
    pipe('a', 'x', 1);
    pipe('a', 'x', 4);
    pipe('b', 'x', 9);
    pipe('a', 'x', 10);
    expect(take().map(describeWindowed)).toEqual(['a@0/10=1 (1)', 'a@0/10=2 (4)', 'b@0/10=1 (9)', 'a@10/20=1 (10)']);
  });

  // Out-of-order records join their window while it is open; with no grace a window closes as
  // soon as stream time reaches its end, and later records for it are dropped as late.
  it('accepts out-of-order records within the grace period and drops later ones as late records', () => {
    const { driver, pipe, take } = runWired(windowedCount(countOptions(TimeWindows.ofSizeAndGrace(10, 5))));
    pipe('a', 'x', 12);
    pipe('a', 'x', 3); // stream time 12, close time 7: [0,10) is still open
    pipe('a', 'x', 16);
    pipe('a', 'x', 8); // close time 11: [0,10) is closed
    expect(take().map(describeWindowed)).toEqual(['a@10/20=1 (12)', 'a@0/10=1 (3)', 'a@10/20=2 (16)']);
    expect(driver.droppedRecords().get('late-record')).toBe(1);
    const store = driver.getWindowStore<string, ValueAndTimestamp<bigint>>('counts');
    expect(store.fetch('a', 0)).toEqual({ value: 1n, timestamp: 3 });
  });

  it('drops records without a key and counts them', () => {
    const { driver, pipe, take } = runWired(windowedCount(countOptions(TimeWindows.ofSizeWithNoGrace(10))));
    pipe(null, 'x', 1);
    expect(take()).toEqual([]);
    expect(driver.droppedRecords().get('null-key')).toBe(1);
  });

  it('sizes the window store from size + grace and writes its changelog', () => {
    const { driver, pipe } = runWired(windowedCount(countOptions(TimeWindows.ofSizeAndGrace(10, 5))));
    pipe('a', 'x', 1);
    const store = driver.getWindowStore<string, ValueAndTimestamp<bigint>>('counts') as WindowStore<string, ValueAndTimestamp<bigint>>;
    expect(store.retentionMs).toBe(15);
    expect(store.windowSizeMs).toBe(10);
    expect(driver.producedTopicNames()).toContain('app-counts-changelog');
  });

  it('rejects a retention shorter than size + grace, naming the store', () => {
    expect(() => windowedCount({ ...countOptions(TimeWindows.ofSizeAndGrace(10, 5)), retentionMs: 12 })).toThrow(/"counts": retentionMs \(12\) is below window size \+ grace \(15\)/);
  });
});

describe('windowedAggregate over hopping windows', () => {
  // TimeWindows.windowsFor: a record belongs to every window [start, start + size) with start a
  // multiple of advance, start <= t < start + size.
  it('updates every overlapping window, oldest first', () => {
    const { pipe, take } = runWired(
      windowedAggregate({ ...countOptions(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)), aggregateSerde: Serdes.string(), initializer: () => '', aggregator: (_key, value, text) => text + (value ?? '') }),
    );
    pipe('a', 'x', 7);
    pipe('a', 'y', 12);
    expect(take().map(describeWindowed)).toEqual(['a@0/10=x (7)', 'a@5/15=x (7)', 'a@5/15=xy (12)', 'a@10/20=y (12)']);
  });

  it('rejects an advance larger than the size', () => {
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).toThrow(/advanceMs \(11\) must not exceed the window size \(10\)/);
  });
});

describe('windowedReduce', () => {
  it('starts from the first value, combines later ones and skips records without a value', () => {
    const { driver, pipe, take } = runWired(windowedReduce({ ...countOptions(TimeWindows.ofSizeWithNoGrace(10)), aggregateSerde: Serdes.string(), reducer: (left, right) => `${left}+${right}` }));
    pipe('a', 'x', 1);
    pipe('a', null, 2);
    pipe('a', 'y', 3);
    expect(take().map(describeWindowed)).toEqual(['a@0/10=x (1)', 'a@0/10=x+y (3)']);
    expect(driver.droppedRecords().get('null-value')).toBe(1);
  });
});

describe('windowedCount with emitStrategy on-window-close', () => {
  // EmitStrategy.onWindowClose (KIP-825): one final result per window, once stream time passes
  // window end + grace; nothing while the window is open; late records are still dropped.
  it('forwards each window once, after it closes, and never a late update', () => {
    const { driver, pipe, take } = runWired(windowedCount(countOptions(TimeWindows.ofSizeAndGrace(10, 5), 'on-window-close')));
    pipe('a', 'x', 1);
    pipe('b', 'x', 4);
    pipe('a', 'x', 12);
    expect(take()).toEqual([]);
    pipe('a', 'x', 8); // close time 7: still open
    pipe('a', 'x', 15); // close time 10: [0,10) closes
    expect(take().map(describeWindowed)).toEqual(['a@0/10=2 (8)', 'b@0/10=1 (4)']);
    pipe('a', 'x', 9); // late
    pipe('a', 'x', 40); // close time 35: [10,20) closes
    expect(take().map(describeWindowed)).toEqual(['a@10/20=2 (15)']);
    expect(driver.droppedRecords().get('late-record')).toBe(1);
  });

  it('keeps the last emitted close time in a changelogged store', () => {
    const { driver, pipe } = runWired(windowedCount(countOptions(TimeWindows.ofSizeWithNoGrace(10), 'on-window-close')));
    pipe('a', 'x', 1);
    pipe('a', 'x', 25);
    const changelog = driver.createOutputTopic('app-counts-emit-time-changelog', Serdes.string(), Serdes.int64Number());
    expect(changelog.readKeyValuesToList().at(-1)).toEqual({ key: 'last-emitted-close-time', value: 25 });
  });
});
