import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/streams-error.js';
import { readOnlyKeyValueStore } from './read-only-views.js';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde } from './testing/test-serdes.js';

const backend = new SortedArrayBackend();
const serdes = { keySerde: stringSerde, valueSerde: numberSerde };

describe('Stores', () => {
  it('defaults to caching off and logging on, with chainable switches', () => {
    const builder = Stores.keyValueStoreBuilder({ name: 'counts', backend, ...serdes });
    expect([builder.cachingEnabled, builder.loggingEnabled]).toEqual([false, true]);
    const changed = builder.withCachingEnabled().withLoggingEnabled({ 'cleanup.policy': 'compact' });
    expect(changed).toBe(builder);
    expect([builder.cachingEnabled, builder.logConfig]).toEqual([true, { 'cleanup.policy': 'compact' }]);
    expect(builder.withLoggingDisabled().loggingEnabled).toBe(false);
  });

  it('rejects invalid store names, naming them', () => {
    expect(() => Stores.keyValueStoreBuilder({ name: 'my store', backend, ...serdes })).toThrow(ConfigError);
    expect(() => Stores.keyValueStoreBuilder({ name: 'my store', backend, ...serdes })).toThrow(/"my store"/);
    expect(() => Stores.keyValueStoreBuilder({ name: '', backend, ...serdes })).toThrow(/non-empty name/);
  });

  it('rejects a window retention smaller than the window size', () => {
    const options = { name: 'windows', backend, retentionMs: 1_000, windowSizeMs: 5_000, ...serdes };
    expect(() => Stores.windowStoreBuilder(options)).toThrow(/"windows".*retentionMs \(1000\) must not be smaller than windowSizeMs/);
    expect(() => Stores.sessionStoreBuilder({ name: 'sessions', backend, retentionMs: -1, ...serdes })).toThrow(/"sessions"/);
  });

  it('rejects missing serdes, naming the store and the option', () => {
    expect(() => Stores.keyValueStoreBuilder({ name: 'counts', backend, keySerde: stringSerde } as never)).toThrow(/"counts" needs `valueSerde`/);
  });

  it('exposes the retention of window and session builders for changelog settings', () => {
    expect(Stores.windowStoreBuilder({ name: 'w', backend, retentionMs: 9_000, windowSizeMs: 1_000, ...serdes }).retentionMs).toBe(9_000);
    expect(Stores.sessionStoreBuilder({ name: 's', backend, retentionMs: 7_000, ...serdes }).retentionMs).toBe(7_000);
  });

  it('builds a new store per call, and read-only views expose no writes', () => {
    const builder = Stores.keyValueStoreBuilder({ name: 'views', backend: new SortedArrayBackend(), ...serdes });
    const store = builder.build();
    expect(builder.build()).not.toBe(store);
    store.init(createTestContext());
    store.put('a', 1);
    const view = readOnlyKeyValueStore(store);
    expect(view.get('a')).toBe(1);
    expect('put' in view).toBe(false);
  });
});
