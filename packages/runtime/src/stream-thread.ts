import { AssignorErrorCode } from '@kstreams/assignor';
import { StreamsError } from '@kstreams/core';
import { WakeSignal, yieldToEventLoop } from './internal/wake-signal.js';
import type { Logger } from './internal/engine-ports.js';
import { partitionKey, type ConsumerRebalanceListener, type StreamConsumer, type TopicPartition } from './kafka/kafka-client.js';
import type { DecodedAssignment } from './internal/streams-assignor.js';
import type { KafkaRecordCollector } from './kafka-record-collector.js';
import type { TaskManager } from './task-manager.js';
import { isFencingError, type ExactlyOnceCommitter } from './exactly-once-committer.js';
import type { ThreadRuntimeMetrics } from './thread-runtime-metrics.js';

/** Records a task may process before the loop polls again (heartbeats run on their own timer). */
const RECORDS_PER_TASK_PER_STEP = 1000;
/** Records per `StreamTask.process` call: how often the time budget is checked. */
const RECORDS_PER_CHUNK = 100;
/** Processing time after which the loop polls again, whatever is left. */
const STEP_TIME_BUDGET_MS = 50;
/** How long an idle loop sleeps before it checks punctuation and commits again. */
const IDLE_WAIT_MS = 100;
/** Restoration time per loop step, shared by the restoring tasks. */
const RESTORE_SLICE_MS = 200;
/** How often standby tasks read their changelogs' new records. */
const STANDBY_POLL_INTERVAL_MS = 100;
/** How long a clean shutdown waits for a rebalance in flight before its final commit. */
const SETTLE_REBALANCE_MS = 15_000;

/** What a {@link StreamThread} drives and reports to. */
export interface StreamThreadOptions {
  /** Creates the thread's consumer with the thread's rebalance listener. */
  readonly createConsumer: (listener: ConsumerRebalanceListener) => StreamConsumer;
  readonly taskManager: TaskManager;
  readonly collector: Pick<KafkaRecordCollector, 'waitForRoom' | 'fatalError' | 'reset'>;
  /** Reads tasks, standbys and the probing time out of the assignor's user data. */
  readonly decodeAssignment: (userData: Uint8Array) => DecodedAssignment;
  readonly commitIntervalMs: number;
  readonly bufferedRecordsPerPartition: number;
  readonly logger: Logger;
  /** The member started a rebalance (or lost its partitions). */
  readonly onRebalancing: () => void;
  /** The assignment is in place and every task runs. */
  readonly onRunning: () => void;
  /** Processing failed; the loop has stopped, tasks closed dirty. */
  readonly onFatal: (error: unknown) => void;
  /** Exactly-once (`exactly_once_v2`, or `exactly_once`'s per-task producers): the thread's transactional commit path (aborts and recovers on failure). */
  readonly exactlyOnce?: Pick<ExactlyOnceCommitter, 'connect' | 'disconnect' | 'abort' | 'failure'> | undefined;
  /** Telemetry hooks of this thread (fetch, process, commit, rebalance); default: none. */
  readonly metrics?: ThreadRuntimeMetrics;
}

/**
 * The loop of one stream thread (Kafka Streams' StreamThread): poll (which runs rebalance
 * callbacks and hands over fetched records) → initialise and restore tasks → process → punctuate
 * → maybe commit. Revoked tasks are committed with the current generation inside the poll, before
 * the member rejoins (eager) or right after the new assignment (cooperative); lost partitions
 * close their tasks dirty. A partition is paused while its task does not run yet or while its
 * buffer is full; processing waits while the producer is far behind.
 */
export class StreamThread {
  readonly #options: StreamThreadOptions;
  readonly consumer: StreamConsumer;
  readonly #wake = new WakeSignal();
  readonly #paused = new Map<string, TopicPartition>();
  #assigned: TopicPartition[] = [];
  #stopRequested: { commit: boolean } | undefined;
  #loop: Promise<void> | undefined;
  #lastCommitMs = Date.now();
  #lastStandbyPollMs = 0;
  #reportedRunning = false;
  #rebalancing = true;
  #probingTimer: NodeJS.Timeout | undefined;
  #zombieLogged = false;

  constructor(options: StreamThreadOptions) {
    this.#options = options;
    this.consumer = options.createConsumer({
      onPartitionsRevoked: (partitions) => this.#onRevoked(partitions),
      onPartitionsAssigned: async (assignment) => {
        this.#enterRebalance();
        const before = new Set(this.#assigned.map(partitionKey));
        const now = new Set(assignment.partitions.map(partitionKey));
        this.#assigned = [...assignment.partitions];
        for (const key of [...this.#paused.keys()]) if (!now.has(key)) this.#paused.delete(key);
        // New partitions start paused (the fetcher does so too); their task resumes them once it runs.
        for (const partition of assignment.partitions) if (!before.has(partitionKey(partition))) this.#paused.set(partitionKey(partition), partition);
        const decoded = this.#options.decodeAssignment(assignment.userData);
        await this.#options.taskManager.handleAssignment({ partitions: assignment.partitions, committed: assignment.committed, standbyTasks: decoded.standbyTasks });
        this.#options.metrics?.onActiveTasks(this.#options.taskManager.activeTaskIds(), assignment.partitions);
        this.#scheduleFollowUp(decoded);
        this.#rebalancing = false;
      },
      onPartitionsLost: async () => {
        this.#enterRebalance();
        this.#assigned = [];
        this.#paused.clear();
        await this.#options.taskManager.handleLostAll();
        // Under exactly-once the open transaction holds the lost tasks' output: it must never commit.
        if (this.#options.exactlyOnce !== undefined) {
          await this.#options.exactlyOnce.abort();
          await this.#options.collector.reset();
        }
        this.#options.metrics?.onActiveTasks([], [], { clean: false });
      },
    });
    this.consumer.onWake(() => this.#wake.notify());
  }

  /** Joins the group and starts the loop. */
  async start(): Promise<void> {
    await this.#options.exactlyOnce?.connect();
    await this.consumer.connect();
    this.#loop = this.#runLoop();
  }

  /**
   * Stops the loop after its current step; with `commit`, commits and closes every task cleanly,
   * otherwise closes them dirty. Then leaves the group. Safe to call more than once.
   */
  async stop(options: { commit: boolean }): Promise<void> {
    this.#stopRequested ??= options;
    this.#wake.notify();
    await this.#loop;
    if (this.#probingTimer !== undefined) clearTimeout(this.#probingTimer);
    await this.#options.exactlyOnce?.disconnect().catch((error: unknown) => this.#options.logger.warn('Closing the transactional producer failed.', { error }));
    await this.consumer.close();
    this.#options.metrics?.close();
  }

  async #onRevoked(partitions: readonly TopicPartition[]): Promise<void> {
    this.#enterRebalance();
    for (const partition of partitions) this.#paused.delete(partitionKey(partition));
    await this.#options.taskManager.handleRevocation(partitions);
    this.#options.metrics?.onActiveTasks(this.#options.taskManager.activeTaskIds());
    const revoked = new Set(partitions.map(partitionKey));
    this.#assigned = this.#assigned.filter((partition) => !revoked.has(partitionKey(partition)));
  }

  /** A probing rebalance when warm-ups may have caught up; an immediate one under version probing. */
  #scheduleFollowUp(decoded: DecodedAssignment): void {
    if (this.#probingTimer !== undefined) clearTimeout(this.#probingTimer);
    this.#probingTimer = undefined;
    if (decoded.errorCode === AssignorErrorCode.VERSION_PROBING) {
      this.consumer.requestRejoin('version probing: rejoining with the version the group supports');
      return;
    }
    if (decoded.errorCode === AssignorErrorCode.INCOMPLETE_SOURCE_TOPIC_METADATA || decoded.errorCode === AssignorErrorCode.ASSIGNMENT_ERROR) {
      throw new StreamsError('The group leader could not assign tasks: a source topic is missing, or the topics of a sub-topology are not co-partitioned (the leader logged which). Fix the topics and restart.');
    }
    if (decoded.errorCode === AssignorErrorCode.SHUTDOWN_REQUESTED) {
      this.#options.logger.error('A member of the group requested a shutdown; stopping this thread.');
      this.#stopRequested ??= { commit: true };
      return;
    }
    if (decoded.nextProbingRebalanceMs === undefined) return;
    const delayMs = Math.max(0, decoded.nextProbingRebalanceMs - Date.now());
    this.#probingTimer = setTimeout(() => this.consumer.requestRejoin('probing rebalance: warm-up replicas may have caught up'), delayMs);
    this.#probingTimer.unref?.();
  }

  #enterRebalance(): void {
    this.#rebalancing = true;
    this.#options.metrics?.onRebalanceStart();
    if (this.#reportedRunning) {
      this.#reportedRunning = false;
      this.#options.onRebalancing();
    }
  }

  async #runLoop(): Promise<void> {
    const { taskManager } = this.#options;
    try {
      while (this.#stopRequested === undefined) await this.#step();
      if (this.#stopRequested.commit) {
        await this.#settleRebalance();
        await taskManager.closeAll({ clean: true });
      } else {
        await taskManager.closeAll({ clean: false });
      }
    } catch (error) {
      await this.#fail(error);
    }
  }

  async #step(): Promise<void> {
    const { taskManager, collector } = this.#options;
    const batches = await this.consumer.poll();
    const eos = this.#options.exactlyOnce;
    if (eos?.failure !== undefined) {
      // A commit inside the poll (revocation) failed: what was fetched is read again from the committed offsets.
      await this.#recover(eos.failure);
      return;
    }
    for (const batch of batches) {
      if (!taskManager.addRecords(batch, batch.records, batch.highWatermark)) continue;
      this.#options.metrics?.onFetch(batch);
      if (taskManager.bufferedRecordCount(batch) >= this.#options.bufferedRecordsPerPartition) this.#setPaused(batch, true);
    }
    await taskManager.initializeTasks();
    if (!taskManager.allRunning()) await taskManager.restore(RESTORE_SLICE_MS);
    this.#updatePauses();
    this.#reportState();
    const waitStartedAt = performance.now();
    await collector.waitForRoom();
    this.#options.metrics?.onProducerWait(performance.now() - waitStartedAt);
    const processStartedAt = performance.now();
    const processed = await taskManager.process(RECORDS_PER_TASK_PER_STEP, { timeBudgetMs: STEP_TIME_BUDGET_MS, chunkRecords: RECORDS_PER_CHUNK });
    this.#options.metrics?.onProcess(processed, performance.now() - processStartedAt);
    if (collector.fatalError !== undefined) {
      if (eos === undefined || !isRecoverable(collector.fatalError)) throw collector.fatalError;
      await this.#recover(collector.fatalError);
      return;
    }
    await taskManager.punctuate();
    if (Date.now() - this.#lastStandbyPollMs >= STANDBY_POLL_INTERVAL_MS) {
      this.#lastStandbyPollMs = Date.now();
      await taskManager.updateStandbys();
    }
    // As Kafka Streams: no commit while the member rejoins (the coordinator would refuse it); revocations commit what moves.
    if ((Date.now() - this.#lastCommitMs >= this.#options.commitIntervalMs || taskManager.commitRequested()) && !this.consumer.rebalanceInProgress()) await this.#commit();
    if (processed === 0 && taskManager.allRunning()) await this.#wake.wait(Math.min(IDLE_WAIT_MS, Math.max(1, this.#options.commitIntervalMs)));
    else await yieldToEventLoop();
  }

  /**
   * Before the final commit of a clean shutdown: lets a rebalance in flight finish (running its
   * callbacks, without processing), so the commit carries a generation the group accepts.
   */
  async #settleRebalance(): Promise<void> {
    const deadline = Date.now() + SETTLE_REBALANCE_MS;
    while (this.consumer.rebalanceInProgress() && Date.now() < deadline) {
      await this.consumer.poll();
      await this.#wake.wait(20);
    }
  }

  /** Keeps partitions of tasks that do not run, or whose buffer is full, paused; resumes the rest. */
  #updatePauses(): void {
    const { taskManager } = this.#options;
    const notRunning = new Set(taskManager.notRunningPartitions().map(partitionKey));
    const resumeBelow = Math.max(1, Math.floor(this.#options.bufferedRecordsPerPartition / 2));
    for (const partition of this.#assigned) {
      const key = partitionKey(partition);
      const paused = this.#paused.has(key);
      if (notRunning.has(key)) {
        if (!paused) this.#setPaused(partition, true);
      } else if (paused && taskManager.bufferedRecordCount(partition) < resumeBelow) {
        this.#setPaused(partition, false);
      }
    }
  }

  #setPaused(partition: TopicPartition, paused: boolean): void {
    const key = partitionKey(partition);
    if (paused) {
      this.#paused.set(key, { topic: partition.topic, partition: partition.partition });
      this.consumer.pause([partition]);
    } else {
      this.#paused.delete(key);
      this.consumer.resume([partition]);
    }
  }

  #reportState(): void {
    const running = !this.#rebalancing && this.#options.taskManager.allRunning();
    if (running && !this.#reportedRunning) {
      this.#reportedRunning = true;
      this.#options.metrics?.onRunning();
      this.#options.onRunning();
    } else if (!running && this.#reportedRunning && this.#rebalancing) {
      this.#reportedRunning = false;
      this.#options.onRebalancing();
    }
  }

  /** Stores flushed, then every send acknowledged, then offsets committed, then checkpoints. */
  async #commit(): Promise<void> {
    const started = performance.now();
    this.#lastCommitMs = Date.now();
    this.#options.metrics?.beforeCommit();
    try {
      const committed = await this.#options.taskManager.commitAll();
      if (committed > 0) this.#options.metrics?.onCommit(performance.now() - started, committed);
    } catch (error) {
      if (this.#options.exactlyOnce !== undefined) {
        const { fatalError } = this.#options.collector;
        if (fatalError !== undefined && !isRecoverable(fatalError)) throw fatalError;
        await this.#recover(error);
        return;
      }
      if (this.#options.collector.fatalError !== undefined) throw this.#options.collector.fatalError;
      // A rebalance in progress or a generation that moved on: the offsets stay uncommitted
      // (at-least-once allows the next owner to process those records again); the rebalance
      // itself is run by the next poll.
      this.#options.logger.warn('Committing offsets failed; the tasks are committed at the next commit or revocation.', { error });
    }
  }

  /**
   * Exactly-once after a failed send, flush or commit: every active task closes dirty (stores
   * wiped: they may hold writes of the aborted transaction), the transaction is aborted (or the
   * fenced producer replaced), the fetch positions go back to the committed offsets and the
   * tasks are created again, so they restore and reprocess. A zombie (fenced) also rejoins.
   */
  async #recover(error: unknown): Promise<void> {
    const eos = this.#options.exactlyOnce!;
    const fenced = isFencingError(error);
    if (!fenced) this.#options.logger.warn('The transaction failed; aborting it and reprocessing from the committed offsets.', { error });
    else if (!this.#zombieLogged) {
      this.#zombieLogged = true;
      this.#options.logger.warn('This thread was fenced (another producer or member took over its work): its transaction is aborted, its tasks are reset and it rejoins the group.', { error });
    }
    const { taskManager, collector } = this.#options;
    await taskManager.recreateActiveTasks(async (partitions) => {
      await eos.abort();
      await collector.reset();
      if (fenced) this.consumer.requestRejoin('fenced: a zombie rejoins the group');
      // The recreated tasks restore first: their partitions stay paused until they run.
      for (const partition of partitions) this.#setPaused(partition, true);
      return this.consumer.rewindToCommitted(partitions);
    });
  }

  async #fail(error: unknown): Promise<void> {
    this.#stopRequested = { commit: false };
    await this.#options.taskManager.closeAll({ clean: false }).catch(() => undefined);
    this.#options.onFatal(error);
  }
}

/** A send error worth aborting and retrying for (not a record that can never be written). */
function isRecoverable(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (isFencingError(current)) return true;
    if ((current as { retriable?: unknown }).retriable === true) return true;
  }
  return false;
}
