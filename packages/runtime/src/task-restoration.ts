import {
  OffsetCheckpointFile,
  StoreChangelogReader,
  changelogPartitionKey,
  checkpointedStoresWithoutData,
  loadTaskCheckpoints,
  type ChangelogPartition,
  type ChangelogPartitionReader,
  type CheckpointEntry,
  type StateRestoreListener,
} from '@kstreams/changelog';
import type { Logger } from './internal/engine-ports.js';
import { StoreRegistry, taskDirectory, wipeTaskDirectory, type LoggedStoreSpec } from './task-state-directory.js';

/** What restoring and checkpointing need from the instance (shared by a thread's tasks). */
export interface ChangelogContext {
  readonly applicationId: string;
  readonly stateDir: string;
  readonly reader: ChangelogPartitionReader;
  /** The instance's restore listener, read when a restoration begins. */
  readonly restoreListener?: () => StateRestoreListener | undefined;
  readonly logger: Logger;
  /** Keeps group membership during a long restore slice. */
  readonly heartbeat?: () => Promise<void>;
  /** The last offset the producer got acknowledged in a changelog partition. */
  readonly acknowledgedOffset: (partition: ChangelogPartition) => number | undefined;
}

/**
 * The changelog side of one active task: loads its `.checkpoint` before the stores open
 * (wiping the task directory when the checkpoint is corrupted), restores its logged stores in
 * slices up to the end offsets taken when restoration started, and after each commit writes
 * the changelog offsets the local stores reflect (the producer's acknowledged offsets).
 * Only persistent stores are checkpointed: an in-memory store always restores in full.
 */
export class TaskRestoration {
  readonly registry = new StoreRegistry();
  readonly #context: ChangelogContext;
  readonly #taskId: string;
  readonly #specs: readonly LoggedStoreSpec[];
  readonly #checkpointFile: OffsetCheckpointFile;
  readonly #directory: string;
  #checkpoints = new Map<string, number>();
  #restorer: StoreChangelogReader | undefined;
  #lastWritten = '';

  constructor(context: ChangelogContext, taskId: string, specs: readonly LoggedStoreSpec[]) {
    this.#context = context;
    this.#taskId = taskId;
    this.#specs = specs;
    this.#directory = taskDirectory(context.stateDir, context.applicationId, taskId);
    this.#checkpointFile = OffsetCheckpointFile.inTaskDirectory(this.#directory);
  }

  /** Whether the task has logged stores at all. */
  get hasLoggedStores(): boolean {
    return this.#specs.length > 0;
  }

  /** Reads the checkpoint; call before the task's stores open (it may wipe them). */
  async loadCheckpoint(): Promise<void> {
    if (!this.hasLoggedStores) return;
    const loaded = await loadTaskCheckpoints(this.#checkpointFile, { exactlyOnce: false });
    if (loaded.wipeStores) {
      this.#context.logger.warn(`Task ${this.#taskId}: ${loaded.reason}; wiping its local state and restoring it from the changelogs.`);
      await wipeTaskDirectory(this.#directory);
    }
    this.#checkpoints = loaded.checkpoints;
    // A checkpointed store whose data is gone restores from the changelog's start, not from the offset.
    const check = { taskId: this.#taskId, taskDirectory: this.#directory, applicationId: this.#context.applicationId, checkpoints: loaded.checkpoints, stores: this.#specs };
    for (const store of checkpointedStoresWithoutData(check)) {
      this.#context.logger.warn(`Task ${this.#taskId}: store "${store.storeName}" has no data on disk although the checkpoint names it; restoring it from the changelog's start.`);
      this.#checkpoints.delete(changelogPartitionKey(store.changelog));
    }
  }

  /** Forgets the checkpoint and deletes the local state (the task's stores must be closed). */
  async wipe(): Promise<void> {
    this.#checkpoints = new Map();
    this.#restorer = undefined;
    this.#lastWritten = '';
    await wipeTaskDirectory(this.#directory);
  }

  /**
   * Restores for about `timeBudgetMs`; resolves true once every logged store caught up.
   * Rejects with `ChangelogTruncatedError` when a checkpoint no longer matches its changelog:
   * the caller closes the task, {@link wipe}s it and starts over.
   */
  async restoreSlice(timeBudgetMs: number): Promise<boolean> {
    if (!this.hasLoggedStores) return true;
    this.#restorer ??= this.#createRestorer();
    const outcome = await this.#restorer.restore({ timeBudgetMs });
    if (outcome !== 'completed') return false;
    this.#checkpoints = this.#restorer.checkpointOffsets();
    return true;
  }

  /** Suspends a restoration in progress (a rebalance); it continues with fresh end offsets. */
  suspend(): void {
    this.#restorer?.suspend();
  }

  /** Records restored so far per store (for metadata and tests). */
  restoredRecords(): number {
    return (this.#restorer?.progress() ?? []).reduce((sum, progress) => sum + progress.restored, 0);
  }

  /** The checkpoint entries now: restored positions, advanced by acknowledged changelog writes. */
  checkpointEntries(): CheckpointEntry[] {
    const restored = this.#restorer?.checkpointOffsets() ?? this.#checkpoints;
    return this.#specs.flatMap(({ storeName, changelog }) => {
      if (!this.registry.isPersistent(storeName)) return [];
      const candidates = [restored.get(changelogPartitionKey(changelog)), this.#context.acknowledgedOffset(changelog)].filter((offset) => offset !== undefined);
      return candidates.length === 0 ? [] : [{ ...changelog, offset: Math.max(...candidates) }];
    });
  }

  /** Writes `.checkpoint` (after a commit: the stores were flushed and every send acknowledged). */
  async writeCheckpoint(): Promise<void> {
    const entries = this.checkpointEntries();
    const text = JSON.stringify(entries);
    if (entries.length === 0 || text === this.#lastWritten) return;
    await this.#checkpointFile.write(entries);
    this.#lastWritten = text;
  }

  #createRestorer(): StoreChangelogReader {
    const stores = this.#specs
      .filter(({ storeName }) => this.registry.has(storeName))
      .map(({ storeName, changelog }) => ({ storeName, changelog, restoreCallback: this.registry.restoreCallback(storeName) }));
    const checkpoints = new Map([...this.#checkpoints].filter(([key]) => stores.some((store) => this.registry.isPersistent(store.storeName) && changelogPartitionKey(store.changelog) === key)));
    const listener = this.#context.restoreListener?.();
    return new StoreChangelogReader({
      taskId: this.#taskId,
      reader: this.#context.reader,
      stores,
      checkpoints,
      logger: this.#context.logger,
      ...(listener === undefined ? {} : { restoreListener: listener }),
      ...(this.#context.heartbeat === undefined ? {} : { heartbeat: this.#context.heartbeat }),
    });
  }
}
