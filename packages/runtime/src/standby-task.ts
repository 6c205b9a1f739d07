import { ChangelogTruncatedError, OffsetCheckpointFile, StandbyUpdater, changelogPartitionKey, loadTaskCheckpoints } from '@kstreams/changelog';
import { InProcessStateManager, type StateStore, type TaskId, type TopologyModel } from '@kstreams/core';
import type { OffsetToCommit } from './kafka/kafka-client.js';
import type { StateDirectory } from './state-directory.js';
import type { Task, TaskLifecycleState } from './task.js';
import type { ChangelogContext } from './task-restoration.js';
import { StoreRegistry, loggedStoresOf, taskDirectory, wipeTaskDirectory, type LoggedStoreSpec } from './task-state-directory.js';

/**
 * A standby replica of a stateful task (Kafka Streams' `StandbyTask`): opens the task's stores
 * in the same task directory an active copy would use, without logging, and keeps them warm by
 * tailing their changelogs. Its `.checkpoint` is written at every commit and on close, so when
 * the task is promoted here the active copy restores only the remaining tail.
 */
export class StandbyTask implements Task {
  readonly kind = 'standby';
  readonly partitions = [];
  readonly taskId: string;
  readonly #context: ChangelogContext;
  readonly #model: TopologyModel;
  readonly #id: TaskId;
  readonly #specs: readonly LoggedStoreSpec[];
  readonly #directory: string;
  readonly #checkpointFile: OffsetCheckpointFile;
  #registry = new StoreRegistry();
  #stateManager: InProcessStateManager | undefined;
  #updater: StandbyUpdater | undefined;
  readonly #locks: { readonly stateDirectory: StateDirectory; readonly owner: string } | undefined;
  #state: TaskLifecycleState = 'CREATED';

  constructor(context: ChangelogContext, model: TopologyModel, id: TaskId, taskId: string, locks?: { readonly stateDirectory: StateDirectory; readonly owner: string }) {
    this.taskId = taskId;
    this.#locks = locks;
    this.#context = context;
    this.#model = model;
    this.#id = id;
    this.#specs = loggedStoresOf(model, id.subtopology, id.partition, context.applicationId);
    this.#directory = taskDirectory(context.stateDir, context.applicationId, taskId);
    this.#checkpointFile = OffsetCheckpointFile.inTaskDirectory(this.#directory);
  }

  /** Records written into the standby's stores since it opened. */
  get recordsApplied(): number {
    return this.#updater?.recordsApplied() ?? 0;
  }

  get id(): string {
    return this.taskId;
  }

  get state(): TaskLifecycleState {
    return this.#state;
  }

  /** Locks the task directory, loads the checkpoint (wiping when it is corrupted) and opens the stores. */
  async initialize(): Promise<boolean> {
    if (this.#state !== 'CREATED') return true;
    if (this.#locks !== undefined && !this.#locks.stateDirectory.tryLockTask(this.taskId, this.#locks.owner)) return false;
    try {
      const loaded = await loadTaskCheckpoints(this.#checkpointFile, { exactlyOnce: this.#context.exactlyOnce === true });
      if (loaded.wipeStores) await wipeTaskDirectory(this.#directory);
      await this.#openStores(loaded.checkpoints);
    } catch (error) {
      await this.closeDirty();
      throw error;
    }
    this.#state = 'RUNNING';
    return true;
  }

  /** Opens without a directory lock (kept for callers that manage locks themselves). */
  async open(): Promise<void> {
    await this.initialize();
  }

  /** Standbys commit no input offsets; flushing their stores is their part of a commit. */
  async prepareCommit(): Promise<OffsetToCommit[]> {
    await this.#stateManager?.flush();
    return [];
  }

  async postCommit(): Promise<void> {
    await this.checkpoint();
  }

  async closeClean(): Promise<void> {
    await this.close();
  }

  /** Closes the stores without a checkpoint (their contents may be ahead of or behind any offset written). */
  async closeDirty(): Promise<void> {
    this.#state = 'CLOSED';
    try {
      await this.#stateManager?.close({ dirty: true });
    } catch {
      // A dirty close never throws: the task's state is wiped or restored on its next start.
    } finally {
      this.#stateManager = undefined;
      this.#updater = undefined;
      this.#unlock();
    }
  }

  #unlock(): void {
    this.#locks?.stateDirectory.unlockTask(this.taskId, this.#locks.owner);
  }

  /**
   * Applies at most one batch per store; resolves with the records applied. A changelog that
   * no longer holds the checkpointed offset (truncated, re-created) wipes the standby's state
   * and tails again from the log start.
   */
  async poll(): Promise<number> {
    try {
      return (await this.#updater?.poll({ maxWaitMs: 0 })) ?? 0;
    } catch (error) {
      if (!(error instanceof ChangelogTruncatedError)) throw error;
      this.#context.logger.warn(`${error.message} Wiping standby task ${this.taskId} and tailing its changelogs from the beginning.`);
      await this.#stateManager?.close();
      await wipeTaskDirectory(this.#directory);
      await this.#openStores(new Map());
      return 0;
    }
  }

  /** One of its stores while open (interactive queries with stale reads). */
  getStore(name: string): StateStore | undefined {
    return this.#stateManager?.getStore(name);
  }

  /** The changelog offset sum its stores reflect (for the assignor's lag), if any was read or checkpointed. */
  offsetSum(): number | undefined {
    const entries = this.#updater?.checkpointEntries() ?? [];
    return entries.length === 0 ? undefined : entries.reduce((sum, entry) => sum + entry.offset + 1, 0);
  }

  /** Flushes the stores and writes `.checkpoint` with the offsets they reflect. */
  async checkpoint(): Promise<void> {
    if (this.#stateManager === undefined || this.#updater === undefined) return;
    await this.#stateManager.flush();
    const entries = this.#updater.checkpointEntries().filter(({ topic }) => this.#specs.some((spec) => spec.changelog.topic === topic && this.#registry.isPersistent(spec.storeName)));
    if (entries.length > 0) await this.#checkpointFile.write(entries);
  }

  /** Checkpoints and closes the stores (before an active copy opens the same directory). */
  async close(): Promise<void> {
    if (this.#state === 'CLOSED') return;
    this.#state = 'CLOSED';
    try {
      await this.checkpoint();
    } finally {
      try {
        await this.#stateManager?.close();
      } finally {
        this.#stateManager = undefined;
        this.#updater = undefined;
        this.#unlock();
      }
    }
  }

  async #openStores(checkpointed: ReadonlyMap<string, number>): Promise<void> {
    const registry = new StoreRegistry();
    const stateManager = new InProcessStateManager({
      applicationId: this.#context.applicationId,
      taskId: this.taskId,
      appConfigs: {},
      stateDirectory: this.#directory,
      streamTimeMs: () => -1,
      // A standby only replays the changelog: no logging, no cache.
      hooks: { changelogWriter: () => undefined, cacheBudget: () => undefined, onRegister: (store, callback) => registry.register(store, callback) },
    });
    const subtopology = this.#model.subtopologies.find((candidate) => candidate.id === this.#id.subtopology);
    const storeModels = (subtopology?.stores ?? []).flatMap((name) => {
      const store = this.#model.stores.get(name);
      return store === undefined || store.global ? [] : [store];
    });
    await stateManager.initialize(storeModels);
    this.#stateManager = stateManager;
    this.#registry = registry;
    const stores = this.#specs
      .filter(({ storeName }) => registry.has(storeName))
      .map(({ storeName, changelog }) => ({ storeName, changelog, restoreCallback: registry.restoreCallback(storeName) }));
    const persistentKeys = new Set(stores.filter(({ storeName }) => registry.isPersistent(storeName)).map(({ changelog }) => changelogPartitionKey(changelog)));
    const checkpoints = new Map([...checkpointed].filter(([key]) => persistentKeys.has(key)));
    this.#updater = new StandbyUpdater({ taskId: this.taskId, reader: this.#context.reader, stores, checkpoints, logger: this.#context.logger });
  }
}
