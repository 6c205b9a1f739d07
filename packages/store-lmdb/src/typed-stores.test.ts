import { afterEach, describe, expect, it } from 'vitest';
import { Serdes, Stores, type StateStoreContext } from '@kstreams/core';
import { lmdbBackend } from './lmdb-backend.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

const MINUTE = 60_000;

function contextFor(directory: string): StateStoreContext {
  return {
    applicationId: () => 'app',
    taskId: () => '0_1',
    appConfigs: () => ({}),
    stateDirectory: () => directory,
    currentStreamTimeMs: () => 0,
    currentRecordTimestampMs: () => 0,
    register: () => {},
    changelogWriter: () => undefined,
    cacheBudget: () => undefined,
  };
}

describe('typed stores on the lmdb backend', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());
  const backend = lmdbBackend();

  const windowStore = () => {
    const store = Stores.windowStoreBuilder({
      name: 'clicks',
      backend,
      retentionMs: 10 * MINUTE,
      windowSizeMs: MINUTE,
      retainDuplicates: false,
      keySerde: Serdes.string(),
      valueSerde: Serdes.int32(),
    })
      .withLoggingDisabled()
      .build();
    store.init(contextFor(task.directory));
    return store;
  };

  it('lists the segments of a window store so a reopened store finds its windows', async () => {
    const store = windowStore();
    store.put('a', 1, 0);
    store.put('a', 2, 3 * MINUTE);
    await store.flush();
    await store.close();
    const segments = backend.listStores?.(locationOf('clicks', task.directory), 'clicks.') ?? [];
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(segments.every((name) => /^clicks\.\d+$/.test(name))).toBe(true);

    const reopened = windowStore();
    expect([...reopened.fetch('a', 0, 3 * MINUTE)].map((entry) => entry.value)).toEqual([1, 2]);
    await reopened.close();
  });

  it('keeps a cached key-value store across close and reopen', async () => {
    const build = () => {
      const store = Stores.keyValueStoreBuilder({ name: 'totals', backend, keySerde: Serdes.string(), valueSerde: Serdes.int32() })
        .withCachingEnabled()
        .withLoggingDisabled()
        .build();
      store.init(contextFor(task.directory));
      return store;
    };
    const store = build();
    store.put('x', 7);
    await store.close();
    const reopened = build();
    expect(reopened.get('x')).toBe(7);
    await reopened.close();
  });
});
