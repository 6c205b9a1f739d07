import { Stores, type KeyValueStore, type Serde, type StateRestoreCallback, type StateStoreContext, type StoreBackend } from '@kstreams/core';
import type { ChangelogPartition } from '../changelog-partition-reader.js';
import type { LoggedStore } from '../logged-store.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A UTF-8 string serde without nulls, so test stores are typed `<string, string>`. */
const text: Serde<string> = {
  serialize: (_topic, data) => encoder.encode(data),
  deserialize: (_topic, data) => decoder.decode(data ?? new Uint8Array()),
};

/** UTF-8 bytes of a string key or value, as the string serde writes them. */
export function bytes(value: string): Uint8Array {
  return encoder.encode(value);
}

/** A real key-value store opened on `backend` for tests, with its registered restore callback. */
export interface StoreFixture {
  readonly store: KeyValueStore<string, string>;
  readonly logged: LoggedStore;
  /** Deletes every key (what a task does when it wipes a store before a full restore). */
  wipe(): void;
  /** Every entry in key order. */
  entries(): [string, string][];
}

/** Opens a string/string store named `name` whose changelog is `changelog`. */
export function openStore(options: { name: string; backend: StoreBackend; changelog: ChangelogPartition; stateDirectory?: string }): StoreFixture {
  const store = Stores.keyValueStoreBuilder({ name: options.name, backend: options.backend, keySerde: text, valueSerde: text }).withLoggingDisabled().build();
  let restoreCallback: StateRestoreCallback | undefined;
  const context: StateStoreContext = {
    applicationId: () => 'app',
    taskId: () => '0_1',
    appConfigs: () => ({}),
    stateDirectory: () => options.stateDirectory,
    currentStreamTimeMs: () => 0,
    register: (_store, callback) => {
      restoreCallback = callback;
    },
    changelogWriter: () => undefined,
    cacheBudget: () => undefined,
  };
  void store.init(context);
  const callback: StateRestoreCallback = (records) => restoreCallback?.(records);
  const entries = (): [string, string][] => [...store.all()].map(({ key, value }) => [key, value]);
  return {
    store,
    logged: { storeName: options.name, changelog: options.changelog, restoreCallback: callback },
    wipe: () => store.deleteAll(entries().map(([key]) => key)),
    entries,
  };
}
