import { InvalidStateStoreError } from '../errors/streams-error.js';
import type { StateRestoreCallback, StateStore, StateStoreContext } from '../state/state-store.js';
import type { EngineMetricsOptions } from './engine-metrics.js';
import type { StoreModel } from '../topology/topology-model.js';
import { chain, runInOrder, type MaybePromise } from './maybe-promise.js';
import type { StateManager, StateManagerHooks } from './state-manager.js';

/** What {@link InProcessStateManager} needs to know about its task. */
export interface InProcessStateManagerOptions {
  readonly applicationId: string;
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  /** `<stateDir>/<applicationId>/<taskId>`; `undefined` keeps state off disk. */
  readonly stateDirectory: string | undefined;
  /** Reads the task's stream time (stores measure retention against it). */
  readonly streamTimeMs: () => number;
  /** The timestamp of the record being processed (stream time while punctuating). */
  readonly recordTimestampMs?: () => number;
  readonly hooks?: StateManagerHooks;
  /** The host's meter and recording level for store metrics; default: the global meter. */
  readonly metrics?: EngineMetricsOptions;
}

interface FlushableCache {
  flushCache(): MaybePromise<void>;
}

function hasCache(store: StateStore): store is StateStore & FlushableCache {
  return typeof (store as Partial<FlushableCache>).flushCache === 'function';
}

/**
 * The default {@link StateManager}: builds each store, initialises it in process and keeps the
 * registered restore callbacks. Used by the test driver; the runtime adds changelog hooks.
 */
export class InProcessStateManager implements StateManager {
  readonly #options: InProcessStateManagerOptions;
  readonly #stores = new Map<string, StateStore>();
  readonly #restoreCallbacks = new Map<string, StateRestoreCallback>();
  #closed = false;

  constructor(options: InProcessStateManagerOptions) {
    this.#options = options;
  }

  initialize(stores: readonly StoreModel[]): MaybePromise<void> {
    const context = this.#storeContext();
    return runInOrder(stores, (model) => {
      const store = model.builder.build();
      this.#stores.set(model.name, store);
      return store.init(context);
    });
  }

  getStore(name: string): StateStore | undefined {
    return this.#stores.get(name);
  }

  stores(): ReadonlyMap<string, StateStore> {
    return this.#stores;
  }

  /** The restore callback a store registered, for a host that replays a changelog. */
  restoreCallback(storeName: string): StateRestoreCallback | undefined {
    return this.#restoreCallbacks.get(storeName);
  }

  flush(): MaybePromise<void> {
    // Called after every record by the test driver: nothing to allocate when there is no store.
    if (this.#stores.size === 0) return undefined;
    const stores = [...this.#stores.values()];
    const cachesFlushed = runInOrder(stores, (store) => (hasCache(store) ? store.flushCache() : undefined));
    return chain(cachesFlushed, () => runInOrder(stores, (store) => store.flush()));
  }

  flushCaches(): MaybePromise<void> {
    for (const store of this.#stores.values()) if (store.isOpen()) store.flushCache?.();
    return undefined;
  }

  close(options: { readonly dirty?: boolean } = {}): MaybePromise<void> {
    if (this.#closed) return undefined;
    this.#closed = true;
    if (options.dirty === true) for (const store of this.#stores.values()) if (store.isOpen()) store.discardCache?.();
    return runInOrder([...this.#stores.values()], (store) => (store.isOpen() ? store.close() : undefined));
  }

  #storeContext(): StateStoreContext {
    const options = this.#options;
    return {
      applicationId: () => options.applicationId,
      taskId: () => options.taskId,
      appConfigs: () => options.appConfigs,
      stateDirectory: () => options.stateDirectory,
      currentStreamTimeMs: () => options.streamTimeMs(),
      currentRecordTimestampMs: () => (options.recordTimestampMs ?? options.streamTimeMs)(),
      register: (store, restoreCallback) => this.#register(store, restoreCallback),
      changelogWriter: (storeName) => options.hooks?.changelogWriter?.(storeName),
      cacheBudget: () => options.hooks?.cacheBudget?.(),
      metrics: () => options.metrics,
    };
  }

  #register(store: StateStore, restoreCallback: StateRestoreCallback): void {
    if (this.#restoreCallbacks.has(store.name)) {
      throw new InvalidStateStoreError(
        `State store "${store.name}" registered twice in task ${this.#options.taskId}. Give each store a unique name.`,
        { taskId: this.#options.taskId },
      );
    }
    this.#restoreCallbacks.set(store.name, restoreCallback);
    this.#options.hooks?.onRegister?.(store, restoreCallback);
  }
}
