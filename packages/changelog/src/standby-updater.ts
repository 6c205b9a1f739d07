import { noopLogger, prefixedLogger, type Logger } from '@kstreams/core';
import { changelogPartitionKey, type ChangelogPartitionReader } from './changelog-partition-reader.js';
import { ChangelogTruncatedError } from './changelog-truncated-error.js';
import type { CheckpointEntry } from './checkpoint-format.js';
import type { LoggedStore } from './logged-store.js';
import { applyRecords } from './restore-step.js';

/** Options of {@link StandbyUpdater}. */
export interface StandbyUpdaterOptions {
  /** Printed task id of the standby task, e.g. `0_3`. */
  readonly taskId: string;
  readonly reader: ChangelogPartitionReader;
  readonly stores: readonly LoggedStore[];
  /** Checkpointed offsets by {@link changelogPartitionKey} (last offset each store reflects). */
  readonly checkpoints?: ReadonlyMap<string, number>;
  /** Empties a store whose checkpoint no longer matches its changelog; without it that fails. */
  readonly wipeStore?: (storeName: string) => void | Promise<void>;
  readonly logger?: Logger;
  /** Records per batch written into a store (default 2000). */
  readonly batchSize?: number;
}

interface StandbyState {
  readonly store: LoggedStore;
  position: number | undefined;
}

/**
 * Keeps a standby task's stores warm by tailing their changelogs (no end offset), as Kafka
 * Streams' standby tasks do, and tracks the offsets to checkpoint. When the standby is promoted,
 * hand {@link checkpointOffsets} to a `StoreChangelogReader`: only the remaining tail is restored.
 *
 * @example
 * const standby = new StandbyUpdater({ taskId: '0_2', reader, stores, checkpoints });
 * await standby.poll({ maxWaitMs: 100 }); // on every loop of the stream thread
 * await checkpointFile.write(standby.checkpointEntries()); // at commit time
 */
export class StandbyUpdater {
  readonly #options: StandbyUpdaterOptions;
  readonly #logger: Logger;
  readonly #states: StandbyState[];
  #recordsApplied = 0;

  constructor(options: StandbyUpdaterOptions) {
    this.#options = options;
    this.#logger = prefixedLogger(options.logger ?? noopLogger, `standby task [${options.taskId}] `);
    this.#states = options.stores.map((store) => ({ store, position: undefined }));
  }

  /** Reads at most one batch per store and writes it; resolves with the number of records applied. */
  async poll(options: { maxWaitMs?: number } = {}): Promise<number> {
    await this.#initializePositions();
    let applied = 0;
    for (const state of this.#states) applied += await this.#pollStore(state, options.maxWaitMs ?? 0);
    this.#recordsApplied += applied;
    return applied;
  }

  /** Records applied to the stores since this updater was created. */
  recordsApplied(): number {
    return this.#recordsApplied;
  }

  /** The offsets to checkpoint now, by {@link changelogPartitionKey}. */
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
  checkpointEntries(): CheckpointEntry[] {
    const offsets = this.checkpointOffsets();
    return this.#states.flatMap(({ store: { changelog } }) => {
      const offset = offsets.get(changelogPartitionKey(changelog));
      return offset === undefined ? [] : [{ ...changelog, offset }];
    });
  }

  async #initializePositions(): Promise<void> {
    const fresh = this.#states.filter((state) => state.position === undefined);
    if (fresh.length === 0) return;
    const partitions = fresh.map((state) => state.store.changelog);
    const [endOffsets, beginningOffsets] = await Promise.all([this.#options.reader.endOffsets(partitions), this.#options.reader.beginningOffsets(partitions)]);
    for (const state of fresh) {
      const key = changelogPartitionKey(state.store.changelog);
      const logStart = beginningOffsets.get(key) ?? 0;
      const checkpoint = this.#options.checkpoints?.get(key);
      const next = checkpoint === undefined ? logStart : checkpoint + 1;
      const valid = next >= logStart && next <= (endOffsets.get(key) ?? 0);
      state.position = valid ? next : await this.#startOver(state, logStart, next);
    }
  }

  async #pollStore(state: StandbyState, maxWaitMs: number): Promise<number> {
    const fromOffset = state.position ?? 0;
    const result = await this.#options.reader.read(state.store.changelog, { fromOffset, maxRecords: this.#options.batchSize ?? 2000, maxWaitMs });
    if (result.outOfRange === true) {
      const begin = await this.#options.reader.beginningOffsets([state.store.changelog]);
      state.position = await this.#startOver(state, begin.get(changelogPartitionKey(state.store.changelog)) ?? 0, fromOffset);
      return 0;
    }
    // The position moves only once the records are in the store: a failed apply checkpoints nothing new.
    const applied = applyRecords(result, state.store.restoreCallback);
    state.position = Math.max(result.nextOffset, fromOffset);
    return applied;
  }

  async #startOver(state: StandbyState, logStart: number, requestedOffset: number): Promise<number> {
    const error = new ChangelogTruncatedError(state.store.changelog, requestedOffset, { taskId: this.#options.taskId });
    if (this.#options.wipeStore === undefined) throw error;
    this.#logger.warn(`${error.message} Wiping store "${state.store.storeName}" and tailing it from offset ${logStart}.`);
    await this.#options.wipeStore(state.store.storeName);
    return logStart;
  }
}
