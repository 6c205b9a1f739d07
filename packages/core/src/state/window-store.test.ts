import { describe, expect, it } from 'vitest';
import { longBytes } from './internals/bytes.js';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde, text } from './testing/test-serdes.js';

const MINUTE = 60_000;

function openWindowStore(options: { retentionMs?: number; retainDuplicates?: boolean; backend?: SortedArrayBackend } = {}) {
  const backend = options.backend ?? new SortedArrayBackend();
  const context = createTestContext();
  const store = Stores.windowStoreBuilder({
    name: 'windows',
    backend,
    retentionMs: options.retentionMs ?? 4 * MINUTE,
    windowSizeMs: MINUTE,
    retainDuplicates: options.retainDuplicates ?? false,
    keySerde: stringSerde,
    valueSerde: numberSerde,
  }).build();
  store.init(context);
  return { backend, context, store };
}

describe('WindowStore', () => {
  it('fetches one window and the windows of a key in a time range, oldest or newest first', () => {
    const { store } = openWindowStore();
    store.put('a', 1, 0);
    store.put('a', 2, MINUTE);
    store.put('ab', 9, MINUTE);
    store.put('a', 3, 2 * MINUTE);
    expect(store.fetch('a', MINUTE)).toBe(2);
    expect(store.fetch('a', 5)).toBeUndefined();
    expect([...store.fetch('a', 0, MINUTE)]).toEqual([{ key: 0, value: 1 }, { key: MINUTE, value: 2 }]);
    expect([...store.backwardFetch('a', 0, 2 * MINUTE)].map((entry) => entry.value)).toEqual([3, 2, 1]);
  });

  it('fetches key ranges and all windows with window bounds', () => {
    const { store } = openWindowStore();
    store.put('b', 2, 0);
    store.put('a', 1, 0);
    store.put('c', 3, MINUTE);
    const range = [...store.fetchRange('a', 'b', 0, MINUTE)];
    expect(range.map((entry) => [entry.key.key, entry.key.window.startMs, entry.key.window.endMs])).toEqual([
      ['a', 0, MINUTE],
      ['b', 0, MINUTE],
    ]);
    expect([...store.fetchAll(MINUTE, 2 * MINUTE)].map((entry) => entry.key.key)).toEqual(['c']);
    expect([...store.all()].map((entry) => entry.value)).toEqual([1, 2, 3]);
    expect([...store.backwardAll()].map((entry) => entry.value)).toEqual([3, 2, 1]);
  });

  it('keeps every put of the same key and window when duplicates are retained', () => {
    const { store } = openWindowStore({ retainDuplicates: true });
    store.put('a', 1, 0);
    store.put('a', 2, 0);
    store.put('a', null, 0);
    expect([...store.fetch('a', 0, 0)].map((entry) => entry.value)).toEqual([1, 2]);
  });

  it('splits data into segments named <store>.<segmentId> of max(retention / 2, 60s)', () => {
    const { backend, store } = openWindowStore({ retentionMs: 10 * MINUTE });
    store.put('a', 1, 0);
    store.put('a', 2, 5 * MINUTE);
    store.put('a', 3, 11 * MINUTE);
    expect(backend.storeNames()).toEqual(['windows.0', 'windows.1', 'windows.2']);
  });

  it('drops writes older than stream time minus retention, counts them, and destroys expired segments', () => {
    const { backend, store } = openWindowStore({ retentionMs: 2 * MINUTE });
    store.put('a', 1, 0);
    store.put('a', 2, 2 * MINUTE);
    store.put('a', 3, 5 * MINUTE);
    expect(backend.storeNames()).toEqual(['windows.5']);
    store.put('a', 4, 3 * MINUTE);
    expect(store.droppedRecords).toBe(1);
    expect(store.fetch('a', 3 * MINUTE)).toBeUndefined();
  });

  it('never returns expired windows, even from a segment that is still live', () => {
    const { store } = openWindowStore({ retentionMs: 4 * MINUTE });
    store.put('a', 1, MINUTE);
    store.put('a', 2, 3 * MINUTE);
    store.put('a', 3, 5 * MINUTE);
    expect([...store.fetch('a', 0, 10 * MINUTE)].map((entry) => entry.value)).toEqual([2, 3]);
    expect(store.fetch('a', MINUTE)).toBeUndefined();
    expect([...store.all()].map((entry) => entry.value)).toEqual([2, 3]);
  });

  it('logs composite keys (key + 8-byte window start) to the changelog', () => {
    const { context, store } = openWindowStore();
    context.recordTimestampMs = 77;
    store.put('a', 1, MINUTE);
    store.put('a', null, MINUTE);
    const [put, tombstone] = context.logged;
    expect([...(put?.key ?? [])]).toEqual([0x61, ...longBytes(MINUTE)]);
    expect(text(put?.value ?? null)).toBe('1');
    expect(put?.timestampMs).toBe(77);
    expect(tombstone?.value).toBeNull();
  });

  it('restores changelog records into their segments', () => {
    const { context, store } = openWindowStore();
    const key = new Uint8Array([0x61, ...longBytes(2 * MINUTE)]);
    context.restoreCallbacks.get('windows')?.([{ key, value: new TextEncoder().encode('5') }]);
    expect(store.fetch('a', 2 * MINUTE)).toBe(5);
  });

  it('reopens the segments of a persistent backend and resumes stream time', () => {
    const backend = new SortedArrayBackend(true);
    const first = openWindowStore({ backend });
    first.store.put('a', 1, 0);
    first.store.put('a', 2, 3 * MINUTE);
    first.store.close();
    const second = openWindowStore({ backend });
    expect([...second.store.fetch('a', 0, 10 * MINUTE)].map((entry) => entry.value)).toEqual([1, 2]);
  });

  it('closes segment iterators when closed early', () => {
    const { backend, store } = openWindowStore({ retentionMs: 10 * MINUTE });
    store.put('a', 1, 0);
    store.put('a', 2, 6 * MINUTE);
    const iterator = store.fetch('a', 0, 10 * MINUTE);
    iterator.next();
    expect(backend.openIterators()).toBe(1);
    iterator.close();
    expect(backend.openIterators()).toBe(0);
  });
});
