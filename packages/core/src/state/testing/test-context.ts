import type { CacheBudget, StateRestoreCallback, StateStore, StateStoreContext } from '../state-store.js';

/** One record a store sent to its changelog. */
export interface LoggedRecord {
  readonly store: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
  readonly timestampMs: number;
}

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  readonly logging?: boolean;
  readonly cacheBudget?: CacheBudget;
}

/** A test-only {@link StateStoreContext} recording changelog records and registrations. */
export interface TestContext extends StateStoreContext {
  readonly logged: LoggedRecord[];
  readonly restoreCallbacks: Map<string, StateRestoreCallback>;
  streamTimeMs: number;
  recordTimestampMs: number;
}

/** Builds a {@link TestContext} for task `0_0` of application `app`. */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const context: TestContext = {
    logged: [],
    restoreCallbacks: new Map(),
    streamTimeMs: 0,
    recordTimestampMs: 0,
    applicationId: () => 'app',
    taskId: () => '0_0',
    appConfigs: () => ({}),
    stateDirectory: () => undefined,
    currentStreamTimeMs: () => context.streamTimeMs,
    currentRecordTimestampMs: () => context.recordTimestampMs,
    register(store: StateStore, restoreCallback: StateRestoreCallback) {
      context.restoreCallbacks.set(store.name, restoreCallback);
    },
    changelogWriter(storeName: string) {
      if (options.logging === false) return undefined;
      return { log: (key, value, timestampMs) => context.logged.push({ store: storeName, key, value, timestampMs }) };
    },
    cacheBudget: () => options.cacheBudget,
  };
  return context;
}
