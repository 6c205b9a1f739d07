import type { StateRestoreListener } from '@kstreams/changelog';
import type { ThreadTelemetry } from '@kstreams/metrics';
import type { TopicPartition } from './kafka/kafka-client.js';

/** A fetched batch of one partition. */
export interface FetchedBatch extends TopicPartition {
  readonly records: readonly { readonly offset: number }[];
  readonly highWatermark: number;
}

/**
 * The metrics side of one stream thread: the thread calls these one-line hooks at its fetch,
 * process, punctuate, commit and rebalance points, and they feed `@kstreams/metrics`' thread,
 * lag, restore and rebalance instruments plus the application's task-lifecycle listener.
 * Kept apart from the thread so the loop stays readable; nothing here throws into the loop.
 */
export class ThreadRuntimeMetrics {
  readonly threadName: string;
  readonly #telemetry: ThreadTelemetry;
  readonly #taskIds: () => readonly string[];
  readonly #onClose: () => void;
  #activeTasks = new Set<string>();

  constructor(options: { threadName: string; telemetry: ThreadTelemetry; taskIds: () => readonly string[]; onClose: () => void }) {
    this.threadName = options.threadName;
    this.#telemetry = options.telemetry;
    this.#taskIds = options.taskIds;
    this.#onClose = options.onClose;
  }

  /** A fetched batch: lag of its partition from the high watermark, records per poll. */
  onFetch(batch: FetchedBatch): void {
    const last = batch.records.at(-1);
    if (last !== undefined) this.#telemetry.lag.onFetch(batch, last.offset + 1, batch.highWatermark);
    this.#telemetry.metrics.recordPoll(batch.records.length);
  }

  /** One processing step handled `records` records in `latencyMs`. */
  onProcess(records: number, latencyMs: number): void {
    this.#telemetry.metrics.recordProcess(records, latencyMs);
  }

  onPunctuate(latencyMs: number): void {
    this.#telemetry.metrics.recordPunctuate(latencyMs);
  }

  /** The thread waited `latencyMs` for the producer (its backlog to drain) before processing. */
  onProducerWait(latencyMs: number): void {
    this.#telemetry.metrics.recordBlocked(latencyMs);
  }

  beforeCommit(): void {
    this.#telemetry.lifecycle.beforeCommit?.({ taskIds: this.#taskIds(), threadName: this.threadName });
  }

  /** A commit of `committedOffsets` offsets took `latencyMs` (stores, producer and offsets). */
  onCommit(latencyMs: number, committedOffsets: number): void {
    this.#telemetry.lifecycle.afterCommit?.({ taskIds: this.#taskIds(), threadName: this.threadName }, { latencyMs, committedOffsets });
  }

  /** The group started rebalancing (or re-joined without saying so). */
  onRebalanceStart(): void {
    this.#telemetry.rebalance.onRebalanceStart();
  }

  /**
   * The active tasks after an assignment, revocation or loss: tasks created and closed since the
   * last call are reported (closed `clean` unless the partitions were lost), and with the
   * assigned `partitions` the lag of partitions no longer assigned is forgotten.
   */
  onActiveTasks(taskIds: readonly string[], partitions?: readonly TopicPartition[], options: { clean: boolean } = { clean: true }): void {
    const now = new Set(taskIds);
    const created = taskIds.filter((taskId) => !this.#activeTasks.has(taskId));
    const closed = [...this.#activeTasks].filter((taskId) => !now.has(taskId));
    this.#activeTasks = now;
    this.#telemetry.rebalance.onAssignment({ created, closed });
    if (partitions !== undefined) this.#telemetry.lag.retain(partitions);
    for (const taskId of created) this.#telemetry.lifecycle.onTaskCreated?.({ taskId, kind: 'active', threadName: this.threadName });
    for (const taskId of closed) this.#telemetry.lifecycle.onTaskClosed?.({ taskId, kind: 'active', threadName: this.threadName, clean: options.clean });
  }

  /** Every task of the new assignment runs: the rebalance is over. */
  onRunning(): void {
    this.#telemetry.rebalance.onRunning();
  }

  /**
   * A restore listener feeding the restore metrics, then the application's listener, if any (the
   * changelog reader logs and ignores a listener that throws; the metrics never do).
   */
  restoreListener(application: StateRestoreListener | undefined): StateRestoreListener {
    const restore = this.#telemetry.restore;
    return {
      onRestoreStart: (partition, storeName, startOffset, endOffset) => {
        restore.onRestoreStart(partition, storeName, startOffset, endOffset);
        application?.onRestoreStart?.(partition, storeName, startOffset, endOffset);
      },
      onBatchRestored: (partition, storeName, batchEndOffset, numRestored) => {
        restore.onBatchRestored(partition, storeName, batchEndOffset, numRestored);
        application?.onBatchRestored?.(partition, storeName, batchEndOffset, numRestored);
      },
      onRestoreEnd: (partition, storeName, totalRestored) => {
        restore.onRestoreEnd(partition, storeName);
        application?.onRestoreEnd?.(partition, storeName, totalRestored);
      },
      onRestoreSuspended: (partition, storeName, totalRestored) => {
        restore.onRestoreSuspended(partition, storeName);
        application?.onRestoreSuspended?.(partition, storeName, totalRestored);
      },
    };
  }

  /** The telemetry of this thread (lag, restore progress, last commit), for health reports. */
  get telemetry(): ThreadTelemetry {
    return this.#telemetry;
  }

  /** The thread stopped: its gauges stop being observed. Idempotent. */
  close(): void {
    this.#telemetry.close();
    this.#onClose();
  }
}
