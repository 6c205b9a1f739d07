import type { OffsetToCommit, TopicPartition } from './kafka/kafka-client.js';

/** Where a task is in its life (Kafka Streams' task states, without SUSPENDED: revoked tasks close). */
export type TaskLifecycleState = 'CREATED' | 'RESTORING' | 'RUNNING' | 'CLOSED';

/**
 * What the task manager does with every task, active or standby (Kafka Streams' `Task`):
 * initialise (lock its directory, load the checkpoint, open the stores), commit in three steps,
 * and close clean (flush, checkpoint) or dirty (drop what is not flushed, no checkpoint).
 */
export interface Task {
  readonly id: string;
  readonly kind: 'active' | 'standby';
  readonly state: TaskLifecycleState;
  /** Input partitions (none for a standby). */
  readonly partitions: readonly TopicPartition[];
  /**
   * Locks the task directory and opens the stores; resolves false while another thread of this
   * instance still holds the directory (try again on the next loop). Throws `TaskCorruptedError`
   * when local state cannot be used (the caller wipes it and starts a new incarnation).
   */
  initialize(): Promise<boolean>;
  /** Flushes what must be durable before the commit; returns the input offsets to commit. */
  prepareCommit(): Promise<OffsetToCommit[]>;
  /** After the commit succeeded: clears commit flags and writes the checkpoint. */
  postCommit(): Promise<void>;
  /** Flushes, closes processors and stores, writes the checkpoint, releases the directory. */
  closeClean(): Promise<void>;
  /** Drops unflushed writes, closes without a checkpoint, releases the directory. Never throws. */
  closeDirty(): Promise<void>;
}
