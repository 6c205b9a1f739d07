import { noopLogger, prefixedLogger, type Logger } from '@kstreams/core';
import { changelogPartitionKey, type ChangelogPartitionReader } from './changelog-partition-reader.js';
import { ChangelogTruncatedError } from './changelog-truncated-error.js';
import type { LoggedStore } from './logged-store.js';
import { RestoreProgressLog, type StoreRestoreProgress } from './restore-progress.js';
import { applyRecords, lastOffsetOf, notifyListener } from './restore-step.js';
import type { StateRestoreListener } from './state-restore-listener.js';

/** Options of {@link StoreChangelogReader}. */
export interface StoreChangelogReaderOptions {
  /** Printed task id, e.g. `0_3` (log prefix and error context). */
  readonly taskId: string;
  readonly reader: ChangelogPartitionReader;
  readonly stores: readonly LoggedStore[];
  /**
   * Checkpointed offsets by {@link changelogPartitionKey}: the offset of the last changelog
   * record each store reflects. A store without one restores from the log start (the caller
   * has wiped it).
   */
  readonly checkpoints?: ReadonlyMap<string, number>;
  /**
   * Empties a store whose checkpoint no longer matches its changelog (truncated or re-created
   * log); restoration then starts over from the log start. Without it, such a store fails the
   * restore with {@link ChangelogTruncatedError}.
   */
  readonly wipeStore?: (storeName: string) => void | Promise<void>;
  readonly restoreListener?: StateRestoreListener;
  readonly logger?: Logger;
  /** Records per batch written into a store, one store write transaction each (default 10,000). */
  readonly batchSize?: number;
  /** Milliseconds between progress log lines per store (default 10 s). */
  readonly progressIntervalMs?: number;
  /** Called between batches so a long restore keeps the consumer's group membership. */
  readonly heartbeat?: () => Promise<void>;
  readonly now?: () => number;
}

interface StoreState {
  readonly store: LoggedStore;
  startOffset: number;
  endOffset: number;
  position: number | undefined;
  restored: number;
  started: boolean;
  completed: boolean;
}

/**
 * What {@link StoreChangelogReader.restore} ended with: every store caught up, a
 * {@link StoreChangelogReader.suspend} stopped it, or its time budget ran out (`in-progress`:
 * call `restore()` again to continue the same restoration, without new end offsets).
 */
export type RestoreOutcome = 'completed' | 'suspended' | 'in-progress';

/** Options of one {@link StoreChangelogReader.restore} call. */
export interface RestoreSliceOptions {
  /**
   * Stop after the round of batches that passes this many milliseconds and resolve
   * `in-progress`, so a caller can restore in slices from its own loop. Default: no limit.
   */
  readonly timeBudgetMs?: number;
}

/**
 * Restores a task's logged stores from their changelogs, as Kafka Streams'
 * `StoreChangelogReader`: each store from its checkpoint + 1 (or the log start) up to the
 * read_committed end offset taken when restoration starts, in batches written through the
 * store's restore callback, round-robin across stores. {@link suspend} stops it between
 * batches (a rebalance) keeping what was restored; calling {@link restore} again continues.
 *
 * @example
 * const restorer = new StoreChangelogReader({ taskId: '0_1', reader, stores, checkpoints });
 * if ((await restorer.restore()) === 'completed') await checkpointFile.write(restorer.checkpointEntries());
 */
export class StoreChangelogReader {
  readonly #options: StoreChangelogReaderOptions;
  readonly #logger: Logger;
  readonly #progressLog: RestoreProgressLog;
  readonly #states: StoreState[];
  #initialized = false;
  #prepared = false;
  #running = false;
  #suspendRequested = false;

  constructor(options: StoreChangelogReaderOptions) {
    this.#options = options;
    this.#logger = prefixedLogger(options.logger ?? noopLogger, `task [${options.taskId}] `);
    const now = options.now ?? Date.now;
    this.#progressLog = new RestoreProgressLog({ logger: this.#logger, intervalMs: options.progressIntervalMs ?? 10_000, now });
    this.#states = options.stores.map((store) => ({ store, startOffset: 0, endOffset: 0, position: undefined, restored: 0, started: false, completed: false }));
  }

  /**
   * Restores until every store caught up (`completed`), {@link suspend} was called
   * (`suspended`) or the slice's time budget ran out (`in-progress`). After a suspension the
   * next call takes fresh end offsets; after `in-progress` it simply continues.
   */
  async restore(options: RestoreSliceOptions = {}): Promise<RestoreOutcome> {
    this.#suspendRequested = false;
    this.#running = true;
    const now = this.#options.now ?? Date.now;
    const deadline = options.timeBudgetMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeBudgetMs;
    try {
      if (!this.#prepared) await this.#prepare();
      while (!this.#suspendRequested && this.#states.some((state) => !state.completed)) {
        for (const state of this.#states) {
          if (this.#suspendRequested) break;
          if (!state.completed) await this.#restoreBatch(state);
        }
        await this.#options.heartbeat?.();
        if (now() >= deadline) break;
      }
    } finally {
      this.#running = false;
    }
    if (this.isCompleted()) return 'completed';
    if (!this.#suspendRequested) return 'in-progress';
    this.#markSuspended();
    return 'suspended';
  }

  /**
   * Suspends restoration (a rebalance): a running {@link restore} stops after the batch in
   * flight; between slices the restoration is suspended at once. What was restored is kept.
   */
  suspend(): void {
    this.#suspendRequested = true;
    if (!this.#running && this.#prepared && !this.isCompleted()) this.#markSuspended();
  }

  isCompleted(): boolean {
    return this.#initialized && this.#states.every((state) => state.completed);
  }

  /** Progress of every store (offsets, records restored, completion). */
  progress(): StoreRestoreProgress[] {
    return this.#states.map((state) => toProgress(state));
  }

  /**
   * The offsets to checkpoint now, by {@link changelogPartitionKey}: the last offset each
   * store reflects (stores not read yet keep their checkpoint).
   */
  checkpointOffsets(): Map<string, number> {
    const offsets = new Map<string, number>();
    for (const state of this.#states) {
      const key = changelogPartitionKey(state.store.changelog);
      const checkpointed = this.#options.checkpoints?.get(key);
      if (state.position !== undefined && state.position > 0) offsets.set(key, state.position - 1);
      else if (state.position === undefined && checkpointed !== undefined) offsets.set(key, checkpointed);
    }
    return offsets;
  }

  /** {@link checkpointOffsets} as checkpoint file entries. */
  checkpointEntries(): { topic: string; partition: number; offset: number }[] {
    const offsets = this.checkpointOffsets();
    return this.#states.flatMap(({ store: { changelog } }) => {
      const offset = offsets.get(changelogPartitionKey(changelog));
      return offset === undefined ? [] : [{ ...changelog, offset }];
    });
  }

  #markSuspended(): void {
    this.#prepared = false;
    this.#reportSuspended();
  }

  async #prepare(): Promise<void> {
    const pending = this.#states.filter((state) => !state.completed);
    if (pending.length === 0) {
      this.#initialized = true;
      this.#prepared = true;
      return;
    }
    const partitions = pending.map((state) => state.store.changelog);
    const [endOffsets, beginningOffsets] = await Promise.all([this.#options.reader.endOffsets(partitions), this.#options.reader.beginningOffsets(partitions)]);
    for (const state of pending) {
      const key = changelogPartitionKey(state.store.changelog);
      const logStart = beginningOffsets.get(key) ?? 0;
      state.endOffset = endOffsets.get(key) ?? 0;
      if (state.position === undefined) state.position = await this.#initialPosition(state, logStart);
      else if (state.position < logStart || state.position > state.endOffset) state.position = await this.#startOver(state, logStart);
      state.startOffset = state.position;
      state.restored = 0;
      state.started = false;
      this.#beginOrComplete(state);
    }
    this.#initialized = true;
    this.#prepared = true;
  }

  async #initialPosition(state: StoreState, logStart: number): Promise<number> {
    const checkpoint = this.#options.checkpoints?.get(changelogPartitionKey(state.store.changelog));
    if (checkpoint === undefined) return logStart;
    const next = checkpoint + 1;
    if (next >= logStart && next <= state.endOffset) return next;
    return this.#startOver(state, logStart, next);
  }

  async #startOver(state: StoreState, logStart: number, requestedOffset = state.position ?? 0): Promise<number> {
    const { wipeStore } = this.#options;
    const error = new ChangelogTruncatedError(state.store.changelog, requestedOffset, { taskId: this.#options.taskId });
    if (wipeStore === undefined) throw error;
    this.#logger.warn(`${error.message} Wiping store "${state.store.storeName}" and restoring it from offset ${logStart}.`);
    await wipeStore(state.store.storeName);
    return logStart;
  }

  #beginOrComplete(state: StoreState): void {
    if ((state.position ?? 0) >= state.endOffset) {
      state.completed = true;
      return;
    }
    state.started = true;
    const { changelog, storeName } = state.store;
    notifyListener(this.#options.restoreListener, this.#logger, 'onRestoreStart', (listener) => listener.onRestoreStart?.(changelog, storeName, state.startOffset, state.endOffset));
    this.#progressLog.started(toProgress(state));
  }

  async #restoreBatch(state: StoreState): Promise<void> {
    const { changelog, storeName, restoreCallback } = state.store;
    const fromOffset = state.position ?? 0;
    const readOptions = { fromOffset, untilOffset: state.endOffset, maxRecords: this.#options.batchSize ?? 10_000, maxWaitMs: 100 };
    const result = await this.#options.reader.read(changelog, readOptions);
    if (result.outOfRange === true) {
      await this.#startOverFromLogStart(state);
      return;
    }
    const applied = applyRecords(result, restoreCallback);
    state.position = Math.min(Math.max(result.nextOffset, fromOffset), state.endOffset);
    state.restored += applied;
    const batchEndOffset = lastOffsetOf(result.records);
    if (batchEndOffset !== undefined) {
      notifyListener(this.#options.restoreListener, this.#logger, 'onBatchRestored', (listener) => listener.onBatchRestored?.(changelog, storeName, batchEndOffset, applied));
    }
    this.#progressLog.batchRestored(toProgress(state));
    if (state.position >= state.endOffset) this.#complete(state);
  }

  async #startOverFromLogStart(state: StoreState): Promise<void> {
    const begin = await this.#options.reader.beginningOffsets([state.store.changelog]);
    state.position = await this.#startOver(state, begin.get(changelogPartitionKey(state.store.changelog)) ?? 0);
  }

  #complete(state: StoreState): void {
    state.completed = true;
    const { changelog, storeName } = state.store;
    notifyListener(this.#options.restoreListener, this.#logger, 'onRestoreEnd', (listener) => listener.onRestoreEnd?.(changelog, storeName, state.restored));
    this.#progressLog.finished(toProgress(state), 'completed');
  }

  #reportSuspended(): void {
    for (const state of this.#states) {
      if (state.completed || !state.started) continue;
      const { changelog, storeName } = state.store;
      notifyListener(this.#options.restoreListener, this.#logger, 'onRestoreSuspended', (listener) => listener.onRestoreSuspended?.(changelog, storeName, state.restored));
      this.#progressLog.finished(toProgress(state), 'suspended');
    }
  }
}

function toProgress(state: StoreState): StoreRestoreProgress {
  const { storeName, changelog } = state.store;
  const position = state.position ?? state.startOffset;
  return { storeName, partition: changelog, startOffset: state.startOffset, endOffset: state.endOffset, position, restored: state.restored, completed: state.completed };
}
