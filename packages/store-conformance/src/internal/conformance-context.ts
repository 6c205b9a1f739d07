import { afterEach, beforeEach } from 'vitest';
import type { KeyValueBytesStore, StoreBackend, StoreLocation } from '@kstreams/core';
import type { BackendHarness, BackendHarnessFactory } from '../backend-harness.js';

/** Per-test access to the backend under test; stores opened through it are closed after the test. */
export interface ConformanceContext {
  readonly backend: StoreBackend;
  location(name: string): StoreLocation;
  /** Opens (and tracks) the store `name`; default name `store`. */
  open(name?: string): KeyValueBytesStore;
}

/** Registers `beforeEach`/`afterEach` hooks and returns a getter for the current test's context. */
export function useConformanceContext(factory: BackendHarnessFactory): () => ConformanceContext {
  let harness: BackendHarness | undefined;
  let opened: KeyValueBytesStore[] = [];
  beforeEach(async () => {
    harness = await factory();
    opened = [];
  });
  afterEach(async () => {
    for (const store of opened) await store.close();
    await harness?.cleanup();
    harness = undefined;
  });
  return () => {
    const current = harness;
    if (current === undefined) throw new Error('The conformance context is only available inside a test.');
    return {
      backend: current.backend,
      location: (name) => current.location(name),
      open: (name = 'store') => {
        const store = current.backend.openStore(current.location(name));
        opened.push(store);
        return store;
      },
    };
  };
}
