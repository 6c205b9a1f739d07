import { partitionKey, type TopicPartition } from './kafka/kafka-client.js';

/**
 * Kafka Streams' `max.task.idle.ms` for tasks with several input partitions: records are
 * processed in timestamp order across partitions only when every partition has buffered data,
 * so a task with an empty partition waits, instead of racing ahead of data it has not fetched.
 *
 * - `-1`: never wait; process whatever is buffered.
 * - `>= 0`: while an empty partition is known to have unfetched records (fetch position behind
 *   the high watermark), wait for them; otherwise wait up to `maxTaskIdleMs` for new data, then
 *   process without it (enforced processing).
 */
export class TaskReadiness {
  readonly #maxTaskIdleMs: number;
  readonly #nowMs: () => number;
  readonly #lagging = new Set<string>();
  readonly #idleSince = new Map<string, number>();

  constructor(options: { maxTaskIdleMs: number; nowMs?: () => number }) {
    this.#maxTaskIdleMs = options.maxTaskIdleMs;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** Notes how far a partition has been fetched relative to its end. */
  recordFetch(partition: TopicPartition, nextOffset: number, highWatermark: number): void {
    if (nextOffset < highWatermark) this.#lagging.add(partitionKey(partition));
    else this.#lagging.delete(partitionKey(partition));
  }

  /**
   * How many records the task may process now: 0 to wait, otherwise a limit that no partition
   * can run dry before (the smallest buffered count), or `maxRecords` when idling is over.
   */
  processableRecords(taskId: string, partitions: readonly TopicPartition[], buffered: (partition: TopicPartition) => number, maxRecords: number): number {
    const counts = partitions.map(buffered);
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total === 0) return 0;
    if (partitions.length <= 1 || this.#maxTaskIdleMs === -1) return maxRecords;
    const smallest = Math.min(...counts);
    if (smallest > 0) {
      this.#idleSince.delete(taskId);
      return Math.min(maxRecords, smallest);
    }
    const waitingForFetch = partitions.some((partition, index) => counts[index] === 0 && this.#lagging.has(partitionKey(partition)));
    if (waitingForFetch) return 0;
    const now = this.#nowMs();
    const since = this.#idleSince.get(taskId) ?? now;
    this.#idleSince.set(taskId, since);
    return now - since >= this.#maxTaskIdleMs ? maxRecords : 0;
  }

  /** Forgets a task (closed or revoked). */
  forget(taskId: string): void {
    this.#idleSince.delete(taskId);
  }
}
