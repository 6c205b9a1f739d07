import type { Logger } from '@kstreams/core';
import type { ChangelogPartition } from './changelog-partition-reader.js';

/** How far one store's restoration has come. */
export interface StoreRestoreProgress {
  readonly storeName: string;
  readonly partition: ChangelogPartition;
  readonly startOffset: number;
  readonly endOffset: number;
  /** The next offset to read. */
  readonly position: number;
  /** Records written to the store so far in this restoration. */
  readonly restored: number;
  readonly completed: boolean;
}

/** Options of {@link RestoreProgressLog}. */
export interface RestoreProgressLogOptions {
  readonly logger: Logger;
  /** Milliseconds between progress lines per store; 0 logs after every batch. */
  readonly intervalMs: number;
  readonly now: () => number;
}

function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return 'unknown';
  const seconds = Math.ceil(milliseconds / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/**
 * Writes restore progress lines (records restored / total, rate, ETA) at most once per
 * interval per store, plus a line at the start and at the end. The total is the offset span
 * still to read, so with compaction or transaction markers fewer records than that arrive.
 */
export class RestoreProgressLog {
  readonly #options: RestoreProgressLogOptions;
  readonly #startedAt = new Map<string, number>();
  readonly #loggedAt = new Map<string, number>();

  constructor(options: RestoreProgressLogOptions) {
    this.#options = options;
  }

  started(progress: StoreRestoreProgress): void {
    const now = this.#options.now();
    this.#startedAt.set(progress.storeName, now);
    this.#loggedAt.set(progress.storeName, now);
    this.#options.logger.info(
      `Restoring store "${progress.storeName}" from ${describe(progress.partition)}: offsets ${progress.startOffset} to ${progress.endOffset} (${progress.endOffset - progress.startOffset} records at most)`,
    );
  }

  batchRestored(progress: StoreRestoreProgress): void {
    const now = this.#options.now();
    const last = this.#loggedAt.get(progress.storeName) ?? now;
    if (now - last < this.#options.intervalMs) return;
    this.#loggedAt.set(progress.storeName, now);
    const rate = this.#rate(progress, now);
    const remaining = Math.max(0, progress.endOffset - progress.position);
    this.#options.logger.info(
      `Restored ${progress.restored}/${progress.endOffset - progress.startOffset} records of store "${progress.storeName}" at ${Math.round(rate)} records/s, ETA ${formatDuration((remaining / rate) * 1000)}`,
    );
  }

  finished(progress: StoreRestoreProgress, outcome: 'completed' | 'suspended'): void {
    const now = this.#options.now();
    const elapsedMs = now - (this.#startedAt.get(progress.storeName) ?? now);
    this.#options.logger.info(
      `${outcome === 'completed' ? 'Finished restoring' : 'Suspended restoring'} store "${progress.storeName}": ${progress.restored} records in ${elapsedMs} ms (${Math.round(this.#rate(progress, now))} records/s)`,
    );
  }

  #rate(progress: StoreRestoreProgress, now: number): number {
    const elapsedMs = now - (this.#startedAt.get(progress.storeName) ?? now);
    return elapsedMs <= 0 ? 0 : (progress.restored * 1000) / elapsedMs;
  }
}

function describe(partition: ChangelogPartition): string {
  return `changelog ${partition.topic}-${partition.partition}`;
}
