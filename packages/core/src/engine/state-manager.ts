import type { CacheBudget, ChangelogWriter, StateRestoreCallback, StateStore } from '../state/state-store.js';
import type { StoreModel } from '../topology/topology-model.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * Port that owns a task's state stores: builds them from the topology's `StoreBuilder`s,
 * initialises them with a `StateStoreContext`, flushes them at commit and closes them.
 * The test driver uses {@link InProcessStateManager}; the Kafka runtime plugs in changelog
 * writers and restore through {@link StateManagerHooks}.
 */
export interface StateManager {
  /** Builds and initialises the stores, in the order given. */
  initialize(stores: readonly StoreModel[]): MaybePromise<void>;
  /** The store named `name`, if this task owns it. */
  getStore(name: string): StateStore | undefined;
  /** Every store of the task, by name. */
  stores(): ReadonlyMap<string, StateStore>;
  /** Flushes caches first (so cached writes reach lower layers), then every store. */
  flush(): MaybePromise<void>;
  /** Flushes the caches only (cached writes reach lower layers and changelogs); stores are not made durable. */
  flushCaches?(): MaybePromise<void>;
  /**
   * Closes every store; idempotent. `dirty`: drop cached writes instead of flushing them (the
   * task lost its partitions or failed: nothing more may reach the changelog).
   */
  close(options?: { readonly dirty?: boolean }): MaybePromise<void>;
}

/** How a host (runtime, driver) takes part in the stores' lifecycle. */
export interface StateManagerHooks {
  /** Where a logged store's writes go; `undefined` turns logging off for it. */
  changelogWriter?(storeName: string): ChangelogWriter | undefined;
  /** Called when a store registers itself, with how to apply restored changelog records. */
  onRegister?(store: StateStore, restoreCallback: StateRestoreCallback): void;
  /** The instance-wide cache budget, when caching is on. */
  cacheBudget?(): CacheBudget | undefined;
}
