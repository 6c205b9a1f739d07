import { ChangelogTruncatedError } from '@kstreams/changelog';
import { TaskCorruptedError, formatTaskId, parseTaskId, type GlobalStoreProvider, type StateManagerHooks, type SubtopologyModel, type TaskConfig, type TaskId, type TopologyModel } from '@kstreams/core';
import { ActiveTask } from './active-task.js';
import type { Logger } from './internal/engine-ports.js';
import { partitionKey, type CommittedOffsetAndMetadata, type ConsumedRecord, type ConsumerAssignment, type OffsetToCommit, type TopicPartition } from './kafka/kafka-client.js';
import type { KafkaRecordCollector, TaskRecordCollector } from './kafka-record-collector.js';
import type { TaskOffsets } from './per-task-exactly-once.js';
import { StandbyTask } from './standby-task.js';
import type { StateDirectory } from './state-directory.js';
import type { Task } from './task.js';
import { TaskReadiness } from './task-readiness.js';
import type { ChangelogContext } from './task-restoration.js';
import type { QueryableTask } from './interactive-queries/store-provider.js';

/** A task this thread owns and the input partitions it reads. */
export interface TaskMetadata {
  readonly taskId: string;
  readonly partitions: readonly TopicPartition[];
  readonly processedRecords: number;
  readonly bufferedRecords: number;
  /** `CREATED` until its directory is free and its stores open, `RESTORING` while they catch up (input paused), then `RUNNING`. */
  readonly state: 'CREATED' | 'RESTORING' | 'RUNNING';
  /** Changelog records restored into its stores since it was assigned here. */
  readonly restoredRecords: number;
}

/** How a commit reaches Kafka: the at-least-once path, or later a transactional one. */
export interface TaskCommitter {
  /** Waits until every record sent so far is acknowledged; throws a fatal production error. */
  flush(): Promise<void>;
  /** Commits the input offsets (with partition-time metadata) of the tasks being committed. */
  commitOffsets(offsets: readonly OffsetToCommit[]): Promise<void>;
}

/** `exactly_once`: each task commits its offsets in its own transaction (see PerTaskExactlyOnce). */
export interface PerTaskCommitter {
  commitTasks(tasks: readonly TaskOffsets[]): Promise<void>;
}

/** What a {@link TaskManager} needs. */
export interface TaskManagerOptions {
  readonly model: TopologyModel;
  /** The instance's global stores (its global stream thread), read by stream processors. */
  readonly globalStores?: GlobalStoreProvider | undefined;
  readonly taskConfig: TaskConfig;
  /** Where each task incarnation's collector comes from (under `exactly_once`, its task's own producer). */
  readonly collector: Pick<KafkaRecordCollector, 'forTask'>;
  readonly committer: TaskCommitter | PerTaskCommitter;
  readonly logger: Logger;
  /** The stream thread owning this manager (task-directory lock owner). */
  readonly owner: string;
  readonly stateDirectory: StateDirectory;
  /** `max.task.idle.ms` (see {@link TaskReadiness}); default 0. */
  readonly maxTaskIdleMs?: number;
  /** How a task's stores log changes and share the cache, given the task's collector. */
  readonly stateManagerHooks: (taskId: TaskId, collector: TaskRecordCollector) => StateManagerHooks;
  /** Restore, standby and checkpoint context; without it tasks keep no changelogs. */
  readonly changelog?: Omit<ChangelogContext, 'acknowledgedOffset'>;
  /**
   * `exactly_once_v2`: one transaction holds every task's output, so every commit (periodic or
   * before tasks move) commits all tasks that processed anything.
   */
  readonly exactlyOnce?: boolean;
}

/**
 * The tasks of one stream thread (Kafka Streams' TaskManager): it takes assignments, commits and
 * closes revoked tasks before they move, closes every task dirty when the member lost its
 * partitions, initialises tasks once their directory is free (a task moving between threads of
 * one instance waits for the other thread to close it), wipes and restores corrupted state, and
 * commits. One caller (the stream thread) drives it, always between processing steps.
 */
export class TaskManager {
  readonly #options: TaskManagerOptions;
  readonly #active = new Map<string, ActiveTask>();
  readonly #byPartition = new Map<string, ActiveTask>();
  readonly #standbys = new Map<string, StandbyTask>();
  readonly #readiness: TaskReadiness;
  /** Committed metadata of partitions assigned but not yet read by their task. */
  #committed: ReadonlyMap<string, CommittedOffsetAndMetadata> = new Map();
  /** Moving average of processing time per record, to size processing chunks; starts cautious (a slow processor's first chunk stays short). */
  #msPerRecord = 5;

  constructor(options: TaskManagerOptions) {
    this.#options = options;
    this.#readiness = new TaskReadiness({ maxTaskIdleMs: options.maxTaskIdleMs ?? 0 });
  }

  /** Active task ids now. */
  activeTaskIds(): string[] {
    return [...this.#active.keys()];
  }

  /** Active tasks that process now (caught up: the assignor counts them as having the latest state). */
  runningTaskIds(): string[] {
    return [...this.#active.values()].filter((task) => task.state === 'RUNNING').map((task) => task.id);
  }

  /** Changelog offset sums of restoring active tasks and of standbys (how far their state is). */
  taskOffsetSums(): Map<string, number> {
    const sums = new Map<string, number>();
    for (const task of this.#active.values()) {
      if (task.state === 'RUNNING' || task.restoration === undefined) continue;
      const entries = task.restoration.checkpointEntries();
      if (entries.length > 0) sums.set(task.id, entries.reduce((sum, entry) => sum + entry.offset + 1, 0));
    }
    for (const standby of this.#standbys.values()) {
      const sum = standby.offsetSum();
      if (sum !== undefined) sums.set(standby.id, sum);
    }
    return sums;
  }

  standbyTaskIds(): string[] {
    return [...this.#standbys.keys()];
  }

  /**
   * Takes on a new assignment: tasks no longer assigned are committed and closed (normally
   * revocation did that already), new active and standby tasks are created and initialised
   * later by {@link initializeTasks}. A standby promoted to active here is closed first.
   */
  async handleAssignment(assignment: Pick<ConsumerAssignment, 'partitions' | 'committed'> & { readonly standbyTasks: readonly string[] }): Promise<void> {
    this.#committed = new Map([...this.#committed, ...assignment.committed]);
    const wanted = this.#groupByTask(assignment.partitions);
    const leaving = [...this.#active.values()].filter((task) => !wanted.has(task.id));
    if (leaving.length > 0) await this.#commitAndClose(leaving);
    const standbyWanted = new Set(this.#options.changelog === undefined ? [] : assignment.standbyTasks.filter((id) => !wanted.has(id)));
    for (const [id, standby] of [...this.#standbys]) {
      if (standbyWanted.has(id)) continue;
      this.#standbys.delete(id);
      await standby.closeClean().catch((error: unknown) => this.#options.logger.warn(`Closing standby task ${id} failed.`, { error }));
    }
    const created: string[] = [];
    for (const [id, { taskId, partitions }] of wanted) {
      const existing = this.#active.get(id);
      if (existing !== undefined) continue;
      this.#active.set(id, this.#createActive(taskId, id, partitions));
      created.push(id);
    }
    for (const id of standbyWanted) {
      if (!this.#standbys.has(id)) this.#standbys.set(id, this.#createStandby(id));
    }
    this.#reindex();
    this.#options.logger.info(`Assignment: active tasks [${[...this.#active.keys()].join(', ')}] (new: [${created.join(', ')}]), standby tasks [${[...this.#standbys.keys()].join(', ')}].`);
  }

  /** Before the partitions move: commits their tasks with the current generation and closes them (dirty when the commit fails). */
  async handleRevocation(partitions: readonly TopicPartition[]): Promise<void> {
    const revoked = new Set(partitions.map(partitionKey));
    const tasks = [...this.#active.values()].filter((task) => task.partitions.some((partition) => revoked.has(partitionKey(partition))));
    if (tasks.length === 0) return;
    this.#options.logger.info(`Revoking tasks [${tasks.map((task) => task.id).join(', ')}]: committing, then closing them.`);
    await this.#commitAndClose(tasks);
    this.#reindex();
  }

  /** The member lost its partitions: every active task closes dirty (no commit, no checkpoint). */
  async handleLostAll(): Promise<void> {
    const tasks = [...this.#active.values()];
    this.#active.clear();
    this.#reindex();
    for (const task of tasks) {
      this.#readiness.forget(task.id);
      await task.closeDirty();
    }
    if (tasks.length > 0) this.#options.logger.warn(`Closed tasks [${tasks.map((task) => task.id).join(', ')}] dirty: their partitions were lost. They restore again if assigned back.`);
  }

  /**
   * Exactly-once recovery after a failed transaction: every active task closes dirty (under
   * exactly-once its stores are wiped), then `reset` runs (abort the transaction, rewind the
   * fetch positions; it resolves to the committed offsets and metadata read back), then the tasks
   * are created again, so they restore from the changelog and reprocess what was aborted.
   */
  async recreateActiveTasks(reset: (partitions: readonly TopicPartition[]) => Promise<ReadonlyMap<string, CommittedOffsetAndMetadata>>): Promise<void> {
    const tasks = [...this.#active.values()];
    for (const task of tasks) {
      this.#readiness.forget(task.id);
      await task.closeDirty();
    }
    const committed = await reset(tasks.flatMap((task) => task.partitions));
    this.#committed = new Map([...this.#committed, ...committed]);
    for (const task of tasks) {
      if (this.#active.get(task.id) === task) this.#active.set(task.id, this.#createActive(parseTaskId(task.id), task.id, task.partitions));
    }
    this.#reindex();
    if (tasks.length > 0) this.#options.logger.warn(`Closed tasks [${tasks.map((task) => task.id).join(', ')}] dirty after a failed transaction; they restore their state and reprocess from the committed offsets.`);
  }

  /**
   * Initialises created tasks whose directory is free (others wait for the next call). A task
   * whose local state is corrupted (damaged store files, a checkpoint the changelog no longer
   * holds, a checkpointed store with no data) is wiped and created again, so it restores from
   * the changelogs' start; other tasks are not affected.
   */
  async initializeTasks(): Promise<void> {
    for (const task of [...this.#active.values(), ...this.#standbys.values()]) {
      if (task.state !== 'CREATED') continue;
      try {
        await task.initialize();
      } catch (error) {
        if (!TaskCorruptedError.isInstance(error)) throw error;
        await this.#wipeAndRecreate(task, error);
      }
    }
  }

  /** Restores RESTORING tasks for about `timeBudgetMs` in all; those caught up start running. */
  async restore(timeBudgetMs: number): Promise<void> {
    const restoring = [...this.#active.values()].filter((task) => task.state === 'RESTORING');
    for (const task of restoring) {
      try {
        await task.restoreSlice(Math.max(1, timeBudgetMs / restoring.length));
      } catch (error) {
        if (!(error instanceof ChangelogTruncatedError) && !TaskCorruptedError.isInstance(error)) throw error;
        await this.#wipeAndRecreate(task, error as Error);
      }
    }
  }

  /** True when every active task runs (none waits for its directory or restores). */
  allRunning(): boolean {
    for (const task of this.#active.values()) if (task.state !== 'RUNNING') return false;
    return true;
  }

  /** Input partitions of tasks that do not run yet: they stay paused. */
  notRunningPartitions(): TopicPartition[] {
    return [...this.#active.values()].filter((task) => task.state !== 'RUNNING').flatMap((task) => task.partitions);
  }

  /** Buffers records for their task; false (dropped) when no task owns the partition. */
  addRecords(partition: TopicPartition, records: readonly ConsumedRecord[], highWatermark: number): boolean {
    const task = this.#byPartition.get(partitionKey(partition));
    if (task === undefined || task.state === 'CLOSED') return false;
    task.addRecords(partition, records);
    const last = records.at(-1);
    if (last !== undefined) this.#readiness.recordFetch(partition, last.offset + 1, highWatermark);
    return true;
  }

  /** Records buffered for one partition. */
  bufferedRecordCount(partition: TopicPartition): number {
    return this.#byPartition.get(partitionKey(partition))?.streamTask.bufferedRecordCount(partition.topic, partition.partition) ?? 0;
  }

  /**
   * Processes up to `maxRecordsPerTask` records of every running task, in chunks, stopping once
   * `timeBudgetMs` has passed. Resolves to the total processed.
   */
  async process(maxRecordsPerTask: number, budget: { timeBudgetMs: number; chunkRecords: number }): Promise<number> {
    const deadline = performance.now() + budget.timeBudgetMs;
    let total = 0;
    for (const task of this.#active.values()) {
      let remaining = maxRecordsPerTask;
      while (remaining > 0 && task.state === 'RUNNING' && performance.now() < deadline) {
        const { streamTask } = task;
        // Chunks shrink for slow processors, so one synchronous chunk never outlasts the budget by much
        // (heartbeats and fetches run on the same event loop).
        const fitting = Math.max(1, Math.floor((deadline - performance.now()) / this.#msPerRecord));
        const limit = this.#readiness.processableRecords(task.id, task.partitions, (partition) => streamTask.bufferedRecordCount(partition.topic, partition.partition), Math.min(budget.chunkRecords, remaining, fitting));
        if (limit === 0 || !streamTask.isProcessable()) break;
        const started = performance.now();
        const processed = await streamTask.process(limit);
        if (processed === 0) break;
        this.#msPerRecord = 0.5 * this.#msPerRecord + 0.5 * ((performance.now() - started) / processed);
        total += processed;
        remaining -= processed;
      }
    }
    return total;
  }

  /** Runs due wall-clock punctuators of every running task. */
  async punctuate(): Promise<void> {
    for (const task of this.#active.values()) if (task.state === 'RUNNING') await task.streamTask.maybePunctuateWallClock();
  }

  /** True when a processor asked for a commit. */
  commitRequested(): boolean {
    for (const task of this.#active.values()) if (task.state === 'RUNNING' && task.streamTask.commitRequested) return true;
    return false;
  }

  /** Tails the standbys' changelogs by one batch per store; resolves with the records applied. */
  async updateStandbys(): Promise<number> {
    let applied = 0;
    for (const standby of [...this.#standbys.values()]) {
      if (standby.state !== 'RUNNING') continue;
      try {
        applied += await standby.poll();
      } catch (error) {
        // A standby whose stores cannot take its changelog is rebuilt from the changelog; it never stops the thread.
        await this.#wipeAndRecreate(standby, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return applied;
  }

  /**
   * Commits the running tasks that need it, and checkpoints standbys: flush every task, wait for
   * every send, commit the offsets, then checkpoint. Resolves to the number of tasks committed;
   * rejects when the commit fails (the tasks stay uncommitted and are committed next time).
   */
  async commitAll(): Promise<number> {
    const tasks = [...this.#active.values()].filter((task) => task.commitNeeded);
    await this.#commit(tasks);
    for (const standby of this.#standbys.values()) if (standby.state === 'RUNNING') await standby.postCommit();
    return tasks.length;
  }

  /** Closes every task: clean after a final commit, dirty after a failure. */
  async closeAll(options: { clean: boolean }): Promise<void> {
    const active = [...this.#active.values()];
    const standbys = [...this.#standbys.values()];
    this.#active.clear();
    this.#standbys.clear();
    this.#reindex();
    if (options.clean) await this.#commitAndClose(active);
    else for (const task of active) await task.closeDirty();
    for (const standby of standbys) await (options.clean ? standby.closeClean() : standby.closeDirty()).catch(() => undefined);
  }

  /** What each active task is doing, for `localThreadsMetadata()`. */
  metadata(): TaskMetadata[] {
    return [...this.#active.values()].map((task) => ({
      taskId: task.id,
      partitions: [...task.partitions],
      processedRecords: task.streamTask.metrics.processedCount,
      bufferedRecords: task.streamTask.bufferedRecordCount(),
      state: task.state === 'CLOSED' ? 'CREATED' : task.state,
      restoredRecords: task.restoration?.restoredRecords() ?? 0,
    }));
  }

  /** Active and standby tasks with their stores, for interactive queries (read on every query: tasks move). */
  queryableTasks(): { activeTasks: QueryableTask[]; standbyTasks: QueryableTask[] } {
    const partitionOf = (id: string): number => parseTaskId(id).partition;
    return {
      activeTasks: [...this.#active.values()].map((task) => ({ id: task.id, partition: partitionOf(task.id), state: task.state, getStore: (name: string) => task.streamTask.getStore(name) })),
      standbyTasks: [...this.#standbys.values()].map((task) => ({ id: task.id, partition: partitionOf(task.id), state: task.state, getStore: (name: string) => task.getStore(name) })),
    };
  }

  /** Records each standby applied since it opened, by task id. */
  standbyRecordsApplied(): Map<string, number> {
    return new Map([...this.#standbys].map(([id, standby]) => [id, standby.recordsApplied]));
  }

  async #commit(requested: readonly ActiveTask[]): Promise<void> {
    // Under exactly-once the thread's one transaction also holds the other tasks' output: commit them all.
    const tasks = this.#options.exactlyOnce === true ? [...new Set([...requested, ...[...this.#active.values()].filter((task) => task.commitNeeded)])] : requested;
    const offsets: TaskOffsets[] = [];
    for (const task of tasks) offsets.push({ taskId: task.id, offsets: await task.prepareCommit() });
    const { committer } = this.#options;
    if ('commitTasks' in committer) {
      await committer.commitTasks(offsets);
    } else {
      await committer.flush();
      await committer.commitOffsets(offsets.flatMap((task) => task.offsets));
    }
    for (const task of tasks) await task.postCommit();
  }

  /** Commits and closes tasks cleanly; when the commit fails they close dirty. Removes them. */
  async #commitAndClose(tasks: readonly ActiveTask[]): Promise<void> {
    for (const task of tasks) {
      this.#active.delete(task.id);
      this.#readiness.forget(task.id);
    }
    let committed = true;
    try {
      await this.#commit(tasks.filter((task) => task.commitNeeded));
    } catch (error) {
      committed = false;
      this.#options.logger.warn(`Committing tasks [${tasks.map((task) => task.id).join(', ')}] before closing them failed; closing them dirty.`, { error });
    }
    for (const task of tasks) {
      if (!committed) {
        await task.closeDirty();
        continue;
      }
      try {
        await task.closeClean();
      } catch (error) {
        this.#options.logger.warn(`Closing task ${task.id} failed; closing it dirty.`, { error });
        await task.closeDirty();
      }
    }
  }

  async #wipeAndRecreate(task: Task, error: Error): Promise<void> {
    this.#options.logger.warn(`Task ${task.id}: ${error.message} Wiping its local state and restoring it from the changelogs' start.`);
    await task.closeDirty();
    await this.#options.stateDirectory.wipeTask(task.id);
    if (task instanceof ActiveTask) {
      if (this.#active.get(task.id) !== task) return;
      this.#active.set(task.id, this.#createActive(parseTaskId(task.id), task.id, task.partitions));
      this.#reindex();
    } else if (this.#standbys.get(task.id) === task) {
      this.#standbys.set(task.id, this.#createStandby(task.id));
    }
  }

  #createActive(taskId: TaskId, id: string, partitions: readonly TopicPartition[]): ActiveTask {
    return new ActiveTask({
      taskId,
      idText: id,
      partitions,
      model: this.#options.model,
      taskConfig: this.#options.taskConfig,
      collector: this.#options.collector,
      stateManagerHooks: (collector) => this.#options.stateManagerHooks(taskId, collector),
      changelog: this.#options.changelog,
      stateDirectory: this.#options.stateDirectory,
      owner: this.#options.owner,
      committed: this.#committed,
      logger: this.#options.logger,
      globalStores: this.#options.globalStores,
    });
  }

  #createStandby(id: string): StandbyTask {
    const context = { ...this.#options.changelog!, acknowledgedOffset: () => undefined };
    return new StandbyTask(context, this.#options.model, parseTaskId(id), id, { stateDirectory: this.#options.stateDirectory, owner: this.#options.owner });
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
      (subtopology) => subtopology.sourceTopics.includes(topic) || subtopology.sourcePatterns.some((pattern) => wholeMatch(pattern, topic)),
    );
  }

  #reindex(): void {
    this.#byPartition.clear();
    for (const task of this.#active.values()) for (const partition of task.partitions) this.#byPartition.set(partitionKey(partition), task);
  }
}

/** A pattern subscription matches whole topic names, as Java's `Pattern.matcher(topic).matches()`. */
export function wholeMatch(pattern: RegExp, topic: string): boolean {
  const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(topic);
  return match !== null && match.index === 0 && match[0].length === topic.length;
}
