import { createCacheBudget, Serdes, Stores, type CacheBudget, type StateStoreContext, type StoreBackend } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { inMemoryBackend } from '@kstreams/store-memory';
import { open } from 'lmdb';

/** One store under test, freshly opened in its own directory for each run. */
export interface StoreUnderTest {
  /** Writes every key (one put each) and makes the writes durable. */
  putAll(keys: readonly Buffer[], value: Buffer): void;
  /** Reads every key; returns how many were found. */
  getAll(keys: readonly Buffer[]): number;
  /** Scans the whole store in key order; returns the number of entries. */
  scanAll(): number;
  close(): Promise<void>;
}

/** A named way to open a {@link StoreUnderTest}. */
export interface StoreContender {
  readonly name: string;
  open(directory: string): StoreUnderTest;
}

/** Raw lmdb-js as its docs advise for bulk sync writes: `putSync` inside `transactionSync`. */
const rawLmdb: StoreContender = {
  name: 'raw-lmdb',
  open(directory) {
    const root = open<Buffer, Buffer>({ path: directory, maxDbs: 4, keyEncoding: 'binary', encoding: 'binary', overlappingSync: false });
    const database = root.openDB<Buffer, Buffer>('bench', { keyEncoding: 'binary', encoding: 'binary', cache: false, compression: false });
    return {
      putAll(keys, value) {
        for (let start = 0; start < keys.length; start += 65_536) {
          root.transactionSync(() => {
            for (const key of keys.slice(start, start + 65_536)) database.putSync(key, value);
          });
        }
      },
      getAll: (keys) => keys.reduce((found, key) => (database.get(key) === undefined ? found : found + 1), 0),
      scanAll: () => count(database.getRange()),
      close: () => root.close(),
    };
  },
};

/** A bytes store of a kstreams backend, used directly. */
function bytesStore(name: string, backend: () => StoreBackend): StoreContender {
  return {
    name,
    open(directory) {
      const store = backend().openStore({ name: 'bench', directory, applicationId: 'bench', taskId: '0_0' });
      return {
        putAll(keys, value) {
          for (const key of keys) store.put(key, value);
          return store.flush() as void;
        },
        getAll: (keys) => keys.reduce((found, key) => (store.get(key) === undefined ? found : found + 1), 0),
        scanAll() {
          using iterator = store.range();
          return count(iterator);
        },
        close: async () => store.close(),
      };
    },
  };
}

/** The typed, metered store from `Stores` (bytes serdes, no changelog), with or without cache. */
function typedStore(name: string, cacheBudget: CacheBudget | undefined): StoreContender {
  return {
    name,
    open(directory) {
      const builder = Stores.keyValueStoreBuilder({
        name: 'bench',
        backend: lmdbBackend(),
        keySerde: Serdes.bytes(),
        valueSerde: Serdes.bytes(),
      }).withLoggingDisabled();
      const store = (cacheBudget === undefined ? builder : builder.withCachingEnabled()).build();
      store.init(contextFor(directory, cacheBudget));
      return {
        putAll(keys, value) {
          for (const key of keys) store.put(key, value);
          return store.flush() as void;
        },
        getAll: (keys) => keys.reduce((found, key) => (store.get(key) === undefined ? found : found + 1), 0),
        scanAll() {
          const iterator = store.all();
          try {
            return count(iterator);
          } finally {
            iterator.close();
          }
        },
        close: async () => store.close(),
      };
    },
  };
}

function contextFor(directory: string, cacheBudget: CacheBudget | undefined): StateStoreContext {
  return {
    applicationId: () => 'bench',
    taskId: () => '0_0',
    appConfigs: () => ({}),
    stateDirectory: () => directory,
    currentStreamTimeMs: () => 0,
    currentRecordTimestampMs: () => 0,
    register: () => {},
    changelogWriter: () => undefined,
    cacheBudget: () => cacheBudget,
  };
}

function count(entries: Iterable<unknown>): number {
  let total = 0;
  for (const _ of entries) total++;
  return total;
}

/** Every contender of the store benchmark; the first is the baseline. */
export function storeContenders(): StoreContender[] {
  return [
    rawLmdb,
    bytesStore('kstreams-lmdb', () => lmdbBackend()),
    typedStore('kstreams-lmdb-typed', undefined),
    typedStore('kstreams-lmdb-typed-cached', createCacheBudget(10 * 1024 * 1024)),
    bytesStore('kstreams-memory', () => inMemoryBackend()),
  ];
}
