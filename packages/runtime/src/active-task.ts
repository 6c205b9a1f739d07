import { StreamTask, type GlobalStoreProvider, type StateManagerHooks, type TaskConfig, type TaskId, type TopologyModel } from '@kstreams/core';
import type { Logger } from './internal/engine-ports.js';
import type { CommittedOffsetAndMetadata, ConsumedRecord, OffsetToCommit, TopicPartition } from './kafka/kafka-client.js';
import type { KafkaRecordCollector, TaskRecordCollector } from './kafka-record-collector.js';
import { decodePartitionTime, encodePartitionTime } from './partition-time-metadata.js';
import type { StateDirectory } from './state-directory.js';
import type { Task, TaskLifecycleState } from './task.js';
import { TaskRestoration, type ChangelogContext } from './task-restoration.js';
import { loggedStoresOf } from './task-state-directory.js';

/** What an {@link ActiveTask} is built from. */
export interface ActiveTaskOptions {
  readonly taskId: TaskId;
  readonly idText: string;
  readonly partitions: readonly TopicPartition[];
  readonly model: TopologyModel;
  readonly taskConfig: TaskConfig;
  readonly collector: Pick<KafkaRecordCollector, 'forTask'>;
  /** How the task's stores log changes and share the cache, given its collector. */
  readonly stateManagerHooks: (collector: TaskRecordCollector) => StateManagerHooks;
  /** Restore and checkpoint context; undefined keeps the task's state out of changelogs. */
  readonly changelog: Omit<ChangelogContext, 'acknowledgedOffset'> | undefined;
  readonly stateDirectory: StateDirectory;
  /** The stream thread that owns the task (its task-directory lock). */
  readonly owner: string;
  /** Committed offsets and metadata of the input partitions (partition time). */
  readonly committed: ReadonlyMap<string, CommittedOffsetAndMetadata>;
  readonly logger: Logger;
  /** The instance's global stores (its global stream thread), read by stream processors. */
  readonly globalStores?: GlobalStoreProvider | undefined;
}

/**
 * One active task of a stream thread: the core {@link StreamTask} (processing), its
 * {@link TaskRestoration} (checkpoint and restore) and its own record collector, with the
 * commit and close paths of {@link Task}. Each incarnation is new: a task wiped after corruption
 * or lost in a rebalance comes back as a fresh object with a fresh collector.
 */
export class ActiveTask implements Task {
  readonly kind = 'active';
  readonly id: string;
  readonly partitions: TopicPartition[];
  readonly streamTask: StreamTask;
  readonly restoration: TaskRestoration | undefined;
  readonly #options: ActiveTaskOptions;
  readonly #collector: TaskRecordCollector;
  #state: TaskLifecycleState = 'CREATED';
  #locked = false;

  constructor(options: ActiveTaskOptions) {
    this.#options = options;
    this.id = options.idText;
    this.partitions = [...options.partitions];
    this.#collector = options.collector.forTask(options.idText);
    const collector = this.#collector;
    const context = options.changelog;
    const specs = context === undefined ? [] : loggedStoresOf(options.model, options.taskId.subtopology, options.taskId.partition, context.applicationId);
    this.restoration = context === undefined ? undefined : new TaskRestoration({ ...context, acknowledgedOffset: (partition) => collector.acknowledgedOffset(partition) }, options.idText, specs);
    const hooks = options.stateManagerHooks(collector);
    const restoration = this.restoration;
    const stateManagerHooks: StateManagerHooks = restoration === undefined ? hooks : {
      ...hooks,
      onRegister: (store, restoreCallback) => {
        restoration.registry.register(store, restoreCallback);
        hooks.onRegister?.(store, restoreCallback);
      },
    };
    const globalStores = options.globalStores === undefined ? {} : { globalStores: options.globalStores };
    this.streamTask = new StreamTask({ taskId: options.taskId, model: options.model, config: options.taskConfig, collector, stateManagerHooks, ...globalStores });
  }

  get state(): TaskLifecycleState {
    return this.#state;
  }

  /** True when processed or dropped records or punctuations wait for a commit, or one was requested. */
  get commitNeeded(): boolean {
    return this.#state === 'RUNNING' && (this.streamTask.commitNeeded || this.streamTask.commitRequested);
  }

  async initialize(): Promise<boolean> {
    if (this.#state !== 'CREATED') return true;
    if (!this.#options.stateDirectory.tryLockTask(this.id, this.#options.owner)) return false;
    this.#locked = true;
    try {
      await this.restoration?.loadCheckpoint();
      await this.streamTask.initialize();
    } catch (error) {
      await this.closeDirty();
      throw error;
    }
    for (const partition of this.partitions) {
      const time = decodePartitionTime(this.#options.committed.get(`${partition.topic}:${partition.partition}`)?.metadata);
      if (time !== undefined) this.streamTask.initializePartitionTime(partition.topic, partition.partition, time);
    }
    this.#state = this.restoration?.hasLoggedStores === true ? 'RESTORING' : 'RUNNING';
    return true;
  }

  /** Restores for about `timeBudgetMs`; true once caught up (the task then runs). */
  async restoreSlice(timeBudgetMs: number): Promise<boolean> {
    if (this.#state !== 'RESTORING') return this.#state === 'RUNNING';
    const done = await this.restoration!.restoreSlice(timeBudgetMs);
    if (!done) return false;
    await this.streamTask.flushStores();
    // Under exactly-once no checkpoint exists while the task runs: a crash must wipe its stores.
    if (!this.#exactlyOnce) await this.restoration!.writeCheckpoint();
    this.#state = 'RUNNING';
    this.#options.logger.info(`Task ${this.id} restored ${this.restoration!.restoredRecords()} records; it runs now.`);
    return true;
  }

  addRecords(partition: TopicPartition, records: readonly ConsumedRecord[]): void {
    this.streamTask.addRecords(partition.topic, partition.partition, records);
  }

  async prepareCommit(): Promise<OffsetToCommit[]> {
    if (this.#state !== 'RUNNING') return [];
    // Caches only: the store is made durable after the commit, so it is never ahead of its changelog on disk.
    const offsets = await this.streamTask.prepareCommit({ flushStores: false });
    return offsets.map(({ topic, partition, offset, partitionTimeMs }) => ({ topic, partition, offset, metadata: encodePartitionTime(partitionTimeMs ?? -1) }));
  }

  async postCommit(): Promise<void> {
    if (this.#state === 'RUNNING') {
      this.streamTask.postCommit();
      // The flush makes the checkpoint true; under exactly-once there is no checkpoint while running.
      if (this.#exactlyOnce) return;
      await this.streamTask.flushStores();
    }
    if (this.#exactlyOnce) return;
    if (this.#state === 'RUNNING' || this.#state === 'RESTORING') await this.restoration?.writeCheckpoint();
  }

  async closeClean(): Promise<void> {
    if (this.#state === 'CLOSED') return;
    const restored = this.#state !== 'CREATED';
    // A restore cut short by a revocation is suspended (listeners hear onRestoreSuspended); the checkpoint keeps its progress.
    if (this.#state === 'RESTORING') this.restoration?.suspend();
    this.#state = 'CLOSED';
    try {
      await this.streamTask.closeClean();
      // The stores were flushed; they reflect what was restored or acknowledged.
      if (restored) await this.restoration?.writeCheckpoint();
    } finally {
      this.#unlock();
    }
  }

  /**
   * Closes without a commit: unsent records are dropped, no checkpoint is written. Under
   * exactly-once the stores may hold writes of a transaction that will be aborted, so the task
   * directory is wiped (it restores from the changelog, which holds only committed writes).
   */
  async closeDirty(): Promise<void> {
    if (this.#state === 'CLOSED' && !this.#locked) return;
    if (this.#state === 'RESTORING') this.restoration?.suspend();
    this.#state = 'CLOSED';
    this.#collector.discard();
    try {
      await this.streamTask.closeDirty();
      if (this.#exactlyOnce && this.#locked) await this.restoration?.wipe();
    } catch (error) {
      this.#options.logger.warn(`Closing task ${this.id} dirty failed; its local state is left as it is.`, { error });
    } finally {
      this.#unlock();
    }
  }

  get #exactlyOnce(): boolean {
    return this.#options.changelog?.exactlyOnce === true;
  }

  #unlock(): void {
    if (!this.#locked) return;
    this.#locked = false;
    this.#options.stateDirectory.unlockTask(this.id, this.#options.owner);
  }

  /** Renders a partition list for logs. */
  static describe(partitions: readonly TopicPartition[]): string {
    return partitions.map(({ topic, partition }) => `${topic}-${partition}`).join(', ');
  }
}
