import { describe, expect, it } from 'vitest';
import { longBytes } from './internals/bytes.js';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde } from './testing/test-serdes.js';

const MINUTE = 60_000;

function openSessionStore(retentionMs = 10 * MINUTE) {
  const backend = new SortedArrayBackend();
  const context = createTestContext();
  const store = Stores.sessionStoreBuilder({ name: 'sessions', backend, retentionMs, keySerde: stringSerde, valueSerde: numberSerde }).build();
  store.init(context);
  return { backend, context, store };
}

const session = (key: string, startMs: number, endMs: number) => ({ key, window: { startMs, endMs } });
const windows = (entries: Iterable<{ key: { key: string; window: { startMs: number; endMs: number } } }>) =>
  [...entries].map((entry) => [entry.key.key, entry.key.window.startMs, entry.key.window.endMs]);

describe('SessionStore', () => {
  it('finds sessions that end at or after the earliest end and start at or before the latest start', () => {
    const { store } = openSessionStore();
    store.put(session('a', 0, 10), 1);
    store.put(session('a', 20, 30), 2);
    store.put(session('a', 100, 200), 3);
    store.put(session('ab', 20, 30), 9);
    expect(windows(store.findSessions('a', 15, 150))).toEqual([['a', 20, 30], ['a', 100, 200]]);
    expect(windows(store.backwardFindSessions('a', 0, 25))).toEqual([['a', 20, 30], ['a', 0, 10]]);
    expect(windows(store.fetch('a'))).toEqual([['a', 0, 10], ['a', 20, 30], ['a', 100, 200]]);
  });

  // Java's SessionStore.findSessions(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime)
  // and fetch(keyFrom, keyTo): bounds inclusive, null (here undefined) for an open bound.
  it('finds sessions of a key range, with open bounds, forward and backward', () => {
    const { store } = openSessionStore();
    store.put(session('a', 0, 10), 1);
    store.put(session('b', 5, 12), 2);
    store.put(session('c', 20, 30), 3);
    store.put(session('d', 40, 50), 4);
    expect(windows(store.findSessions('b', 'c', 0, 100))).toEqual([['b', 5, 12], ['c', 20, 30]]);
    expect(windows(store.findSessions('a', 'd', 11, 35))).toEqual([['b', 5, 12], ['c', 20, 30]]);
    expect(windows(store.findSessions(undefined, 'b', 0, 100))).toEqual([['a', 0, 10], ['b', 5, 12]]);
    expect(windows(store.fetch('c', undefined))).toEqual([['c', 20, 30], ['d', 40, 50]]);
    expect(windows(store.fetch(undefined, undefined))).toHaveLength(4);
    expect(windows(store.backwardFetch('a', 'b'))).toEqual([['b', 5, 12], ['a', 0, 10]]);
    expect(windows(store.backwardFindSessions('a', 'c', 0, 100))).toEqual([['c', 20, 30], ['b', 5, 12], ['a', 0, 10]]);
  });

  it('fetches and removes one exact session', () => {
    const { store } = openSessionStore();
    store.put(session('a', 0, 10), 1);
    expect(store.fetchSession('a', 0, 10)).toBe(1);
    expect(store.fetchSession('a', 0, 11)).toBeUndefined();
    store.remove(session('a', 0, 10));
    expect(store.fetchSession('a', 0, 10)).toBeUndefined();
  });

  it('drops sessions that ended before stream time minus retention and never returns them', () => {
    const { store } = openSessionStore(2 * MINUTE);
    store.put(session('a', 0, MINUTE), 1);
    store.put(session('a', 3 * MINUTE, 4 * MINUTE), 2);
    store.put(session('a', 0, MINUTE), 3);
    expect(store.droppedRecords).toBe(1);
    expect(windows(store.fetch('a'))).toEqual([['a', 3 * MINUTE, 4 * MINUTE]]);
    expect(store.fetchSession('a', 0, MINUTE)).toBeUndefined();
  });

  it('logs composite keys (key + end + start) and tombstones for removals', () => {
    const { context, store } = openSessionStore();
    store.put(session('a', 5, 10), 1);
    store.remove(session('a', 5, 10));
    expect([...(context.logged[0]?.key ?? [])]).toEqual([0x61, ...longBytes(10), ...longBytes(5)]);
    expect(context.logged[1]?.value).toBeNull();
  });
});
