import { Serdes, Stores, type KeyValueStore, type StateStore, type StoreBuilder, type StoreBackend } from '@kstreams/core';

const KEY = 'last-emitted-close-time';

/** The name of the store that remembers how far final results were emitted. */
export function emitTimeStoreName(storeName: string): string {
  return `${storeName}-emit-time`;
}

/** The changelogged key-value store of an `on-window-close` aggregation. */
export function emitTimeStoreBuilder(storeName: string, backend: StoreBackend, logging: boolean): StoreBuilder<StateStore> {
  const builder = Stores.keyValueStoreBuilder({ name: emitTimeStoreName(storeName), backend, keySerde: Serdes.string(), valueSerde: Serdes.int64Number() });
  return logging ? builder : builder.withLoggingDisabled();
}

/**
 * The last window close time whose final results were emitted (Java keeps it in the commit's
 * processor metadata; here a changelogged store does the same job). -1 before any emit.
 */
export class EmitTimeTracker {
  #store: KeyValueStore<string | null, number | null> | undefined;
  #lastEmittedMs = -1;

  open(store: KeyValueStore<string | null, number | null>): void {
    this.#store = store;
    this.#lastEmittedMs = store.get(KEY) ?? -1;
  }

  get lastEmittedMs(): number {
    return this.#lastEmittedMs;
  }

  update(closeTimeMs: number): void {
    this.#lastEmittedMs = closeTimeMs;
    this.#store?.put(KEY, closeTimeMs);
  }
}
