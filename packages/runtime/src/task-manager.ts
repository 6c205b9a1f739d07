import { ChangelogTruncatedError } from '@kstreams/changelog';
import { StreamTask, formatTaskId, parseTaskId, type GlobalStoreProvider, type StateManagerHooks, type SubtopologyModel, type TaskConfig, type TaskId, type TopologyModel } from '@kstreams/core';
import type { Logger, RecordCollector } from './internal/engine-ports.js';
import { partitionKey, type ConsumedRecord, type TopicPartition, type TopicPartitionOffset } from './kafka/kafka-client.js';
import { StandbyTask } from './standby-task.js';
import { TaskReadiness } from './task-readiness.js';
import { TaskRestoration, type ChangelogContext } from './task-restoration.js';
import { loggedStoresOf } from './task-state-directory.js';

/** What changed when the task manager took on a new assignment. */
export interface ReconcileResult {
  readonly created: readonly string[];
  readonly closed: readonly string[];
  readonly kept: readonly string[];
}

/** A task this instance owns and the input partitions it reads. */
export interface TaskMetadata {
  readonly taskId: string;
  readonly partitions: readonly TopicPartition[];
  readonly processedRecords: number;
  readonly bufferedRecords: number;
  /** `RESTORING` while its stores catch up with their changelogs (input paused), then `RUNNING`. */
  readonly state: 'CREATED' | 'RESTORING' | 'RUNNING';
  /** Changelog records restored into its stores since it was assigned here. */
  readonly restoredRecords: number;
}

/** What a {@link TaskManager} needs. */
export interface TaskManagerOptions {
  readonly model: TopologyModel;
  /** The instance's global stores (its global stream thread), read by stream processors. */
  readonly globalStores?: GlobalStoreProvider;
  readonly taskConfig: TaskConfig;
  readonly collector: RecordCollector;
  /** The collector of one task (e.g. tagging records with the task id); default: `collector`. */
  readonly collectorForTask?: (taskId: string) => RecordCollector;
  readonly logger: Logger;
  /** `max.task.idle.ms` (see {@link TaskReadiness}); default 0. */
  readonly maxTaskIdleMs?: number;
  /** How each new task's stores log changes and share the cache (by task id); default: no hooks. */
  readonly stateManagerHooks?: (taskId: TaskId) => StateManagerHooks;
  /**
   * Runs after a new task is initialised and before it processes anything, e.g. to restore its
   * stores from their changelogs (the seam the changelog restore plugs into). The task's records
   * stay buffered meanwhile.
   */
  readonly prepareTask?: (task: StreamTask) => Promise<void>;
  /**
   * Restoring and checkpointing logged stores, and standby tasks. Without it tasks run as soon
   * as they are initialised and nothing is restored.
   */
  readonly changelog?: ChangelogContext;
}

interface OwnedTask {
  task: StreamTask;
  readonly taskId: TaskId;
  readonly partitions: TopicPartition[];
  phase: 'CREATED' | 'RESTORING' | 'RUNNING';
  restoration: TaskRestoration | undefined;
}

/**
 * Owns the active tasks of this instance: one per assigned partition index of each
 * sub-topology. Routes consumed records to their task, processes tasks in turn, and prepares
 * commits. Tasks that stay across a rebalance keep their stores and buffered records; the
 * others are closed. Not re-entrant: one caller (the stream thread) drives it.
 */
export class TaskManager {
  readonly #options: TaskManagerOptions;
  readonly #tasks = new Map<string, OwnedTask>();
  readonly #taskByPartition = new Map<string, OwnedTask>();
  readonly #readiness: TaskReadiness;
  readonly #standbys = new Map<string, StandbyTask>();
  readonly #detachedRestorations = new Map<StreamTask, TaskRestoration>();
  #uninitialized: OwnedTask[] = [];

  constructor(options: TaskManagerOptions) {
    this.#options = options;
    this.#readiness = new TaskReadiness({ maxTaskIdleMs: options.maxTaskIdleMs ?? 0 });
  }

  /** The task ids owned now (for the assigner's stickiness hint). */
  taskIds(): string[] {
    return [...this.#tasks.keys()];
  }

  /** Whether a record of this partition has an owning task. */
  owns(partition: TopicPartition): boolean {
    return this.#taskByPartition.has(partitionKey(partition));
  }

  /**
   * Takes on a new assignment synchronously: creates tasks for new partition indexes (initialised
   * later by {@link initializeNewTasks}) and detaches tasks no longer assigned; returns the
   * detached tasks, to be closed with {@link closeTasks} once no processing step uses them.
   */
  assign(partitions: readonly TopicPartition[]): { result: ReconcileResult; detached: StreamTask[] } {
    const wanted = this.#groupByTask(partitions);
    const detached: StreamTask[] = [];
    const closed: string[] = [];
    const kept: string[] = [];
    const created: string[] = [];
    for (const [id, owned] of this.#tasks) {
      if (wanted.has(id)) continue;
      this.#tasks.delete(id);
      this.#readiness.forget(id);
      detached.push(owned.task);
      if (owned.restoration !== undefined) this.#detachedRestorations.set(owned.task, owned.restoration);
      closed.push(id);
    }
    for (const [id, { taskId, partitions: taskPartitions }] of wanted) {
      const existing = this.#tasks.get(id);
      if (existing !== undefined) {
        existing.partitions.splice(0, existing.partitions.length, ...taskPartitions);
        kept.push(id);
        continue;
      }
      const owned: OwnedTask = { taskId, partitions: taskPartitions, phase: 'CREATED', ...this.#createTask(taskId) };
      this.#tasks.set(id, owned);
      this.#uninitialized.push(owned);
      created.push(id);
    }
    this.#uninitialized = this.#uninitialized.filter((owned) => this.#tasks.get(owned.task.idText) === owned);
    this.#reindex();
    return { result: { created, closed, kept }, detached };
  }

  /**
   * Initialises tasks created by the last assignments: loads each one's checkpoint, opens its
   * stores and, when it has logged stores, leaves it RESTORING (see {@link restore}).
   */
  async initializeNewTasks(): Promise<void> {
    const pending = this.#uninitialized;
    this.#uninitialized = [];
    for (const owned of pending) {
      if (!this.#isOwned(owned)) continue;
      await owned.restoration?.loadCheckpoint();
      await owned.task.initialize();
      await this.#options.prepareTask?.(owned.task);
      owned.phase = owned.restoration?.hasLoggedStores === true ? 'RESTORING' : 'RUNNING';
    }
  }

  /** Input partitions of tasks that may not process yet (not initialised or restoring): keep them paused. */
  pendingPartitions(): TopicPartition[] {
    return [...this.#tasks.values()].filter((owned) => owned.phase !== 'RUNNING').flatMap((owned) => owned.partitions);
  }

  /** True when every owned task processes (none is initialising or restoring). */
  allRunning(): boolean {
    return [...this.#tasks.values()].every((owned) => owned.phase === 'RUNNING');
  }

  /**
   * Restores RESTORING tasks for about `timeBudgetMs` in all, in turn; a task whose stores
   * caught up is checkpointed and turns RUNNING. Resolves with the input partitions of those
   * tasks (to resume).
   */
  async restore(timeBudgetMs: number): Promise<TopicPartition[]> {
    const restoring = [...this.#tasks.values()].filter((owned) => owned.phase === 'RESTORING');
    const ready: TopicPartition[] = [];
    for (const owned of restoring) {
      if (!this.#isOwned(owned) || owned.restoration === undefined) continue;
      let completed: boolean;
      try {
        completed = await owned.restoration.restoreSlice(Math.max(1, timeBudgetMs / restoring.length));
      } catch (error) {
        if (!(error instanceof ChangelogTruncatedError)) throw error;
        await this.#rebuild(owned, error);
        continue;
      }
      if (!completed || !this.#isOwned(owned)) continue;
      await owned.task.prepareCommit();
      await owned.restoration.writeCheckpoint();
      owned.phase = 'RUNNING';
      this.#options.logger.info(`Task ${owned.task.idText} restored ${owned.restoration.restoredRecords()} records; it runs now.`);
      ready.push(...owned.partitions);
    }
    return ready;
  }

  /** Suspends every restoration in progress (a rebalance started). */
  suspendRestoration(): void {
    for (const owned of this.#tasks.values()) if (owned.phase === 'RESTORING') owned.restoration?.suspend();
  }

  /** Closes detached tasks (processors, then stores) and checkpoints them; errors are logged, never thrown. */
  async closeTasks(tasks: readonly StreamTask[]): Promise<void> {
    for (const task of tasks) {
      const restoration = this.#detachedRestorations.get(task);
      this.#detachedRestorations.delete(task);
      try {
        await task.close();
        // Closing flushed the stores: they reflect at least what was restored or acknowledged.
        await restoration?.writeCheckpoint();
      } catch (error) {
        this.#options.logger.warn(`Closing task ${task.idText} failed.`, { error });
      }
    }
  }

  /**
   * Takes on the standby tasks of the last assignment: closes (and checkpoints) the standbys
   * no longer wanted or now active here, opens the new ones. Call after closing detached
   * tasks and before {@link initializeNewTasks}, so a task directory is open only once.
   */
  async assignStandbys(taskIds: readonly string[]): Promise<void> {
    const context = this.#options.changelog;
    const wanted = new Set(context === undefined ? [] : taskIds.filter((id) => !this.#tasks.has(id)));
    for (const [id, standby] of this.#standbys) {
      if (wanted.has(id)) continue;
      this.#standbys.delete(id);
      await standby.close().catch((error: unknown) => this.#options.logger.warn(`Closing standby task ${id} failed.`, { error }));
    }
    if (context === undefined) return;
    for (const id of wanted) {
      if (this.#standbys.has(id)) continue;
      const standby = new StandbyTask(context, this.#options.model, parseTaskId(id), id);
      await standby.open();
      this.#standbys.set(id, standby);
    }
  }

  /** Standby task ids kept here now. */
  standbyTaskIds(): string[] {
    return [...this.#standbys.keys()];
  }

  /** Records each standby applied since it opened, by task id. */
  standbyRecordsApplied(): Map<string, number> {
    return new Map([...this.#standbys].map(([id, standby]) => [id, standby.recordsApplied]));
  }

  /** Tails the changelogs of every standby by one batch per store; resolves with the records applied. */
  async updateStandbys(): Promise<number> {
    let applied = 0;
    for (const standby of [...this.#standbys.values()]) applied += await standby.poll();
    return applied;
  }

  /** After a commit: writes `.checkpoint` of running tasks with logged stores, and of standbys. */
  async writeCheckpoints(): Promise<void> {
    for (const owned of this.#runningTasks()) await owned.restoration?.writeCheckpoint();
    for (const standby of this.#standbys.values()) await standby.checkpoint();
  }

  /** Buffers records for their task; returns false (and drops them) when no task owns the partition. */
  addRecords(topic: string, partition: number, records: readonly ConsumedRecord[]): boolean {
    const owned = this.#taskByPartition.get(partitionKey({ topic, partition }));
    if (owned === undefined) return false;
    owned.task.addRecords(topic, partition, records);
    return true;
  }

  /** Notes a partition's fetch position and end, for `maxTaskIdleMs`. */
  recordFetch(partition: TopicPartition, nextOffset: number, highWatermark: number): void {
    this.#readiness.recordFetch(partition, nextOffset, highWatermark);
  }

  /** Records buffered for one partition. */
  bufferedRecordCount(partition: TopicPartition): number {
    return this.#taskByPartition.get(partitionKey(partition))?.task.bufferedRecordCount(partition.topic, partition.partition) ?? 0;
  }

  /**
   * Processes up to `maxRecordsPerTask` records of every running task, in chunks of at most
   * `chunkRecords`, stopping early once `timeBudgetMs` has passed (so a slow processor cannot
   * hold the event loop, and with it kafkajs' heartbeats, for long). Resolves to the total.
   */
  async process(maxRecordsPerTask: number, budget: { timeBudgetMs?: number; chunkRecords?: number } = {}): Promise<number> {
    const deadline = performance.now() + (budget.timeBudgetMs ?? Number.POSITIVE_INFINITY);
    const chunk = budget.chunkRecords ?? maxRecordsPerTask;
    let total = 0;
    for (const owned of this.#runningTasks()) {
      let remaining = maxRecordsPerTask;
      // A rebalance may detach a task while an earlier one awaited: never process it then.
      while (remaining > 0 && this.#isOwned(owned) && performance.now() < deadline) {
        const limit = this.#readiness.processableRecords(owned.task.idText, owned.partitions, (partition) => owned.task.bufferedRecordCount(partition.topic, partition.partition), Math.min(chunk, remaining));
        if (limit === 0 || !owned.task.isProcessable()) break;
        const processed = await owned.task.process(limit);
        if (processed === 0) break;
        total += processed;
        remaining -= processed;
      }
    }
    return total;
  }

  /** Runs due wall-clock punctuators of every running task. */
  async punctuate(): Promise<void> {
    for (const owned of this.#runningTasks()) {
      if (this.#isOwned(owned)) await owned.task.maybePunctuateWallClock();
    }
  }

  /** True when a processor asked for a commit. */
  commitRequested(): boolean {
    return this.#runningTasks().some(({ task }) => task.commitRequested);
  }

  /**
   * First half of a commit: flushes the stores of tasks with uncommitted work and returns the
   * offsets to commit, plus a callback to run once they are committed.
   */
  async prepareCommit(): Promise<{ offsets: TopicPartitionOffset[]; committed: () => void }> {
    const tasks = this.#runningTasks().filter(({ task }) => task.commitNeeded || task.commitRequested);
    const offsets: TopicPartitionOffset[] = [];
    for (const { task } of tasks) offsets.push(...(await task.prepareCommit()));
    return { offsets, committed: () => tasks.forEach(({ task }) => task.postCommit()) };
  }

  /** Detaches and closes every task and standby (shutdown). */
  async closeAll(): Promise<void> {
    const { detached } = this.assign([]);
    await this.closeTasks(detached);
    await this.assignStandbys([]);
  }

  /** What each task owns, for `localThreadsMetadata()`. */
  metadata(): TaskMetadata[] {
    return [...this.#tasks].map(([taskId, { task, partitions, phase, restoration }]) => ({
      taskId,
      partitions: [...partitions],
      processedRecords: task.metrics.processedCount,
      bufferedRecords: task.bufferedRecordCount(),
      state: phase,
      restoredRecords: restoration?.restoredRecords() ?? 0,
    }));
  }

  #createTask(taskId: TaskId): { task: StreamTask; restoration: TaskRestoration | undefined } {
    const id = formatTaskId(taskId);
    const context = this.#options.changelog;
    const specs = context === undefined ? [] : loggedStoresOf(this.#options.model, taskId.subtopology, taskId.partition, context.applicationId);
    const restoration = context === undefined ? undefined : new TaskRestoration(context, id, specs);
    const hooks = this.#options.stateManagerHooks?.(taskId);
    const stateManagerHooks: StateManagerHooks | undefined =
      restoration === undefined
        ? hooks
        : {
            ...hooks,
            onRegister: (store, restoreCallback) => {
              restoration.registry.register(store, restoreCallback);
              hooks?.onRegister?.(store, restoreCallback);
            },
          };
    const collector = this.#options.collectorForTask?.(id) ?? this.#options.collector;
    const globalStores = this.#options.globalStores;
    const task = new StreamTask({ taskId, model: this.#options.model, config: this.#options.taskConfig, collector, ...(stateManagerHooks === undefined ? {} : { stateManagerHooks }), ...(globalStores === undefined ? {} : { globalStores }) });
    return { task, restoration };
  }

  /** A checkpoint no longer matches its changelog: close the task, wipe its state, restore from scratch. */
  async #rebuild(owned: OwnedTask, error: ChangelogTruncatedError): Promise<void> {
    this.#options.logger.warn(`${error.message} Wiping task ${owned.task.idText} and restoring it from the changelogs' beginning.`);
    await owned.task.close();
    await owned.restoration?.wipe();
    const { task, restoration } = this.#createTask(owned.taskId);
    owned.task = task;
    owned.restoration = restoration;
    await task.initialize();
    await this.#options.prepareTask?.(task);
  }

  #isOwned(owned: OwnedTask): boolean {
    return this.#tasks.get(owned.task.idText) === owned;
  }

  #runningTasks(): OwnedTask[] {
    return [...this.#tasks.values()].filter(({ task, phase }) => phase === 'RUNNING' && task.state === 'RUNNING');
  }

  #groupByTask(partitions: readonly TopicPartition[]): Map<string, { taskId: TaskId; partitions: TopicPartition[] }> {
    const grouped = new Map<string, { taskId: TaskId; partitions: TopicPartition[] }>();
    for (const partition of partitions) {
      const subtopology = this.#subtopologyOf(partition.topic);
      if (subtopology === undefined) {
        this.#options.logger.warn(`Assigned partition ${partitionKey(partition)} belongs to no sub-topology; ignoring it.`);
        continue;
      }
      const taskId = { subtopology: subtopology.id, partition: partition.partition };
      const id = formatTaskId(taskId);
      const entry = grouped.get(id) ?? { taskId, partitions: [] };
      entry.partitions.push(partition);
      grouped.set(id, entry);
    }
    return grouped;
  }

  #subtopologyOf(topic: string): SubtopologyModel | undefined {
    return this.#options.model.subtopologies.find(
      (subtopology) => subtopology.sourceTopics.includes(topic) || subtopology.sourcePatterns.some((pattern) => pattern.test(topic)),
    );
  }

  #reindex(): void {
    this.#taskByPartition.clear();
    for (const owned of this.#tasks.values()) {
      for (const partition of owned.partitions) this.#taskByPartition.set(partitionKey(partition), owned);
    }
  }
}
