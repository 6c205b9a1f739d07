import type { StreamTask } from '@kstreams/core';
import { WakeSignal, yieldToEventLoop } from './internal/wake-signal.js';
import type { Logger } from './internal/engine-ports.js';
import { partitionKey, type ConsumedBatch, type GroupConsumer, type RebalanceEvent, type TopicPartition } from './kafka/kafka-client.js';
import type { KafkaRecordCollector } from './kafka-record-collector.js';
import type { TaskManager } from './task-manager.js';
import type { ThreadRuntimeMetrics } from './thread-runtime-metrics.js';

/** Records a task may process before the loop yields to the event loop (heartbeats, fetches). */
const RECORDS_PER_TASK_PER_STEP = 1000;
/** Records per `StreamTask.process` call: how often the time budget is checked. */
const RECORDS_PER_CHUNK = 100;
/** Processing time after which the loop yields, whatever is left. */
const STEP_TIME_BUDGET_MS = 50;
/** How long an idle loop sleeps before it checks punctuation and commits again. */
const IDLE_WAIT_MS = 100;
/** Restoration time per loop step, shared by the restoring tasks (then processing and heartbeats go on). */
const RESTORE_SLICE_MS = 200;
/** How often standby tasks read their changelogs' new records. */
const STANDBY_POLL_INTERVAL_MS = 100;

/** What a {@link StreamThread} drives and reports to. */
export interface StreamThreadOptions {
  readonly consumer: GroupConsumer;
  readonly taskManager: TaskManager;
  readonly collector: KafkaRecordCollector;
  readonly commitIntervalMs: number;
  readonly bufferedRecordsPerPartition: number;
  readonly logger: Logger;
  /** The group started rebalancing. */
  readonly onRebalancing: () => void;
  /** A new assignment is in place and its tasks are initialised. */
  readonly onRunning: () => void;
  /** Processing failed; the loop has stopped without committing. */
  readonly onFatal: (error: unknown) => void;
  /** Telemetry hooks of this thread (fetch, process, commit, rebalance); default: none. */
  readonly metrics?: ThreadRuntimeMetrics;
}

/**
 * The consumer loop of one instance. kafkajs fetches on its own; each fetched batch is handed to
 * its task's queue at once, and a partition whose queue holds `bufferedRecordsPerPartition`
 * records is paused until it drains. The loop processes tasks in slices (yielding so heartbeats
 * and fetches keep flowing), runs wall-clock punctuation, and commits every `commitIntervalMs`
 * or on request: stores flushed, producer flushed, then offsets committed.
 *
 * Rebalances are eager (kafkajs): on `rebalancing` the loop stops processing and commits what it
 * has; on `assigned` tasks that stay keep their stores and buffers (their partitions are sought
 * to the position already fetched), revoked tasks are closed and new ones initialised.
 */
export class StreamThread {
  readonly #options: StreamThreadOptions;
  readonly #wake = new WakeSignal();
  readonly #fetchedPosition = new Map<string, number>();
  readonly #pausedForBackPressure = new Map<string, TopicPartition>();
  readonly #pausedForRestore = new Map<string, TopicPartition>();
  #detached: StreamTask[] = [];
  #assignmentPending = false;
  #rebalancing = false;
  #committedForRebalance = false;
  #stopRequested: { commit: boolean } | undefined;
  #loop: Promise<void> | undefined;
  #lastCommitMs = Date.now();
  #lastStandbyPollMs = 0;
  /** An assignment was applied and not reported as running yet (its tasks may still restore). */
  #runningPending = false;

  constructor(options: StreamThreadOptions) {
    this.#options = options;
    options.consumer.onRebalance((event) => this.#onRebalance(event));
    options.consumer.onCrash((error) => this.#fail(error));
  }

  /** Subscribes, starts fetching and starts the processing loop. */
  async start(topics: readonly (string | RegExp)[]): Promise<void> {
    const { consumer } = this.#options;
    await consumer.connect();
    await consumer.subscribe(topics, { fromBeginning: true });
    await consumer.run((batch) => this.#onBatch(batch));
    this.#loop = this.#runLoop();
  }

  /**
   * Stops the loop after its current step; with `commit`, commits first. Then closes every task
   * and leaves the group. Safe to call more than once.
   */
  async stop(options: { commit: boolean }): Promise<void> {
    this.#stopRequested ??= options;
    this.#wake.notify();
    await this.#loop;
    await this.#options.taskManager.closeTasks(this.#detached.splice(0));
    await this.#options.taskManager.closeAll();
    await this.#options.consumer.disconnect();
    this.#options.metrics?.close();
  }

  async #onBatch(batch: ConsumedBatch): Promise<void> {
    const last = batch.records.at(-1);
    if (last === undefined) return;
    // Records of a partition we no longer own (fetched before a revocation) are dropped.
    if (!this.#options.taskManager.addRecords(batch.topic, batch.partition, batch.records)) return;
    this.#fetchedPosition.set(partitionKey(batch), last.offset + 1);
    this.#options.taskManager.recordFetch(batch, last.offset + 1, batch.highWatermark);
    this.#options.metrics?.onFetch(batch, last.offset + 1, batch.highWatermark, batch.records.length);
    if (this.#options.taskManager.bufferedRecordCount(batch) >= this.#options.bufferedRecordsPerPartition) {
      const partition = { topic: batch.topic, partition: batch.partition };
      this.#options.consumer.pause([partition]);
      this.#pausedForBackPressure.set(partitionKey(partition), partition);
    }
    this.#wake.notify();
  }

  #onRebalance(event: RebalanceEvent): void {
    this.#options.metrics?.onRebalanceStart();
    if (event.kind === 'rebalancing') {
      this.#rebalancing = true;
      this.#committedForRebalance = false;
      // Restorations stop between batches and continue after the join, keeping what they restored.
      this.#options.taskManager.suspendRestoration();
      this.#options.onRebalancing();
    } else {
      // kafkajs re-joins without a REBALANCING event after UNKNOWN_MEMBER_ID (e.g. a missed
      // session timeout): report the rebalance all the same.
      if (!this.#rebalancing) this.#options.onRebalancing();
      this.#applyAssignment(event.partitions);
    }
    this.#wake.notify();
  }

  /** Runs inside kafkajs' GROUP_JOIN listener, before the first fetch of the new generation. */
  #applyAssignment(partitions: readonly TopicPartition[]): void {
    const { taskManager, consumer, logger } = this.#options;
    const before = new Set(partitions.filter((partition) => taskManager.owns(partition)).map(partitionKey));
    const { result, detached } = taskManager.assign(partitions);
    this.#options.metrics?.onAssignment(result, partitions);
    this.#detached.push(...detached);
    for (const partition of partitions) {
      const position = this.#fetchedPosition.get(partitionKey(partition));
      // kafkajs restarts every partition from its committed offset after a join; a task that
      // stays already buffered up to `position`, so continue from there.
      if (before.has(partitionKey(partition)) && position !== undefined) consumer.seek({ ...partition, offset: position });
    }
    const assigned = new Set(partitions.map(partitionKey));
    for (const [key, partition] of this.#pausedForBackPressure) {
      if (assigned.has(key)) continue;
      this.#pausedForBackPressure.delete(key);
      consumer.resume([partition]);
    }
    for (const key of this.#fetchedPosition.keys()) if (!assigned.has(key)) this.#fetchedPosition.delete(key);
    // Tasks that are new or still restoring must not fetch yet: pause them before the first fetch.
    for (const key of this.#pausedForRestore.keys()) if (!assigned.has(key)) this.#pausedForRestore.delete(key);
    const pending = taskManager.pendingPartitions();
    for (const partition of pending) this.#pausedForRestore.set(partitionKey(partition), partition);
    consumer.pause(pending);
    this.#assignmentPending = true;
    logger.info(`Assigned ${partitions.length} partitions: tasks created [${result.created.join(', ')}], kept [${result.kept.join(', ')}], closed [${result.closed.join(', ')}].`);
  }

  async #runLoop(): Promise<void> {
    try {
      while (this.#stopRequested === undefined) await this.#step();
      if (this.#stopRequested.commit) await this.#commit();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #step(): Promise<void> {
    const { taskManager } = this.#options;
    if (this.#assignmentPending) {
      this.#assignmentPending = false;
      this.#rebalancing = false;
      this.#runningPending = true;
      const detached = this.#detached.splice(0);
      await taskManager.closeTasks(detached);
      await taskManager.assignStandbys(await this.#standbyAssignment());
      await taskManager.initializeNewTasks();
    }
    if (!taskManager.allRunning() && !this.#rebalancing) await taskManager.restore(RESTORE_SLICE_MS);
    if (this.#pausedForRestore.size > 0) this.#resumeReadyPartitions();
    // Running once every task caught up; another rebalance may have started meanwhile.
    if (this.#runningPending && !this.#rebalancing && !this.#assignmentPending && taskManager.allRunning()) {
      this.#runningPending = false;
      this.#options.metrics?.onRunning();
      this.#options.onRunning();
    }
    if (this.#rebalancing) {
      if (!this.#committedForRebalance) {
        this.#committedForRebalance = true;
        await this.#commit();
      }
      await this.#wake.wait(IDLE_WAIT_MS);
      return;
    }
    const processStartedAt = performance.now();
    const processed = await taskManager.process(RECORDS_PER_TASK_PER_STEP, { timeBudgetMs: STEP_TIME_BUDGET_MS, chunkRecords: RECORDS_PER_CHUNK });
    this.#options.metrics?.onProcess(processed, performance.now() - processStartedAt);
    this.#resumeDrainedPartitions();
    await taskManager.punctuate();
    if (Date.now() - this.#lastStandbyPollMs >= STANDBY_POLL_INTERVAL_MS) {
      this.#lastStandbyPollMs = Date.now();
      await taskManager.updateStandbys();
    }
    if (Date.now() - this.#lastCommitMs >= this.#options.commitIntervalMs || taskManager.commitRequested()) await this.#commit();
    if (processed === 0 && taskManager.allRunning()) await this.#wake.wait(Math.min(IDLE_WAIT_MS, Math.max(1, this.#options.commitIntervalMs)));
    else await yieldToEventLoop();
  }

  /** The standby tasks of this member's assignment; none when they cannot be read (retried at the next join). */
  async #standbyAssignment(): Promise<string[]> {
    try {
      return await this.#options.consumer.standbyTasks();
    } catch (error) {
      this.#options.logger.warn('Reading the standby tasks of this assignment failed; running without standbys until the next rebalance.', { error });
      return [];
    }
  }

  /** Resumes the partitions paused at assignment whose tasks now run (initialised, restored). */
  #resumeReadyPartitions(): void {
    const pending = new Set(this.#options.taskManager.pendingPartitions().map(partitionKey));
    const resumed: TopicPartition[] = [];
    for (const [key, partition] of this.#pausedForRestore) {
      if (pending.has(key)) continue;
      this.#pausedForRestore.delete(key);
      if (!this.#pausedForBackPressure.has(key)) resumed.push(partition);
    }
    if (resumed.length > 0) this.#options.consumer.resume(resumed);
  }

  #resumeDrainedPartitions(): void {
    const threshold = Math.max(1, Math.floor(this.#options.bufferedRecordsPerPartition / 2));
    const drained: TopicPartition[] = [];
    for (const [key, partition] of this.#pausedForBackPressure) {
      if (this.#options.taskManager.bufferedRecordCount(partition) >= threshold) continue;
      this.#pausedForBackPressure.delete(key);
      drained.push(partition);
    }
    if (drained.length > 0) this.#options.consumer.resume(drained);
  }

  /** Stores flushed, then every send acknowledged, then offsets committed: output never lags its offsets. */
  async #commit(): Promise<void> {
    const started = performance.now();
    this.#lastCommitMs = Date.now();
    this.#options.metrics?.beforeCommit();
    const { offsets, committed } = await this.#options.taskManager.prepareCommit();
    const flushStartedAt = performance.now();
    await this.#options.collector.flush();
    this.#options.metrics?.onProducerFlush(performance.now() - flushStartedAt);
    if (offsets.length > 0) {
      try {
        await this.#options.consumer.commitOffsets(offsets);
      } catch (error) {
        // Typically a rebalance in progress: the offsets stay uncommitted and the records may be
        // processed again by the next owner, which at-least-once allows.
        this.#options.logger.warn(`Committing ${offsets.length} offsets failed; will retry at the next commit.`, { error });
        return;
      }
      committed();
      this.#options.metrics?.onCommit(performance.now() - started, offsets.length);
    }
    // Stores flushed and every changelog write acknowledged: the checkpoints can say so.
    await this.#options.taskManager.writeCheckpoints();
  }

  #fail(error: unknown): void {
    if (this.#stopRequested !== undefined && this.#stopRequested.commit === false) return;
    this.#stopRequested = { commit: false };
    this.#wake.notify();
    this.#options.onFatal(error);
  }
}
