import type { Attributes, Counter, Histogram, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { ATTRIBUTES, METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/** A changelog partition being restored. */
export interface RestorePartition {
  readonly topic: string;
  readonly partition: number;
}

interface Restoring {
  readonly attributes: Attributes;
  readonly endOffset: number;
  remaining: number;
  lastEventMs: number;
  finished: boolean;
}

/**
 * Restore metrics of one stream thread, fed by the restore-listener calls of the changelog
 * reader (it has the shape of `@kstreams/changelog`'s `StateRestoreListener`):
 * `kstreams.state.restore` (records restored; its rate is Java's `restore-rate`),
 * `kstreams.state.restore.latency` (time per restored batch, DEBUG) and
 * `kstreams.state.restore-remaining-records` (per store and changelog partition, while restoring).
 */
export class RestoreMetrics {
  readonly #restoring = new Map<string, Restoring>();
  readonly #restored: Counter;
  readonly #latency: Histogram;
  readonly #remaining: ObservableGauge;
  readonly #attributes: Attributes;
  readonly #observe = (observer: ObservableResult): void => {
    for (const [restoreKey, entry] of this.#restoring) {
      observer.observe(entry.remaining, entry.attributes);
      // Finished restorations report 0 once more (cumulative exporters keep a gauge's last value), then go.
      if (entry.finished) this.#restoring.delete(restoreKey);
    }
  };

  constructor(streamsMetrics: StreamsMetrics, threadName?: string) {
    this.#attributes = threadAttributes(threadName);
    this.#restored = streamsMetrics.counter(METRICS.stateRestore);
    this.#latency = streamsMetrics.histogram(METRICS.stateRestoreLatency);
    this.#remaining = streamsMetrics.gauge(METRICS.stateRestoreRemaining);
    this.#remaining.addCallback(this.#observe);
  }

  onRestoreStart(partition: RestorePartition, storeName: string, startOffset: number, endOffset: number): void {
    const attributes = { ...this.#attributes, [ATTRIBUTES.storeName]: storeName, [ATTRIBUTES.partition]: partition.partition };
    this.#restoring.set(key(partition, storeName), { attributes, endOffset, remaining: Math.max(0, endOffset - startOffset), lastEventMs: performance.now(), finished: false });
  }

  onBatchRestored(partition: RestorePartition, storeName: string, batchEndOffset: number, numRestored: number): void {
    const entry = this.#restoring.get(key(partition, storeName));
    if (entry === undefined) return;
    const now = performance.now();
    entry.remaining = Math.max(0, entry.endOffset - (batchEndOffset + 1));
    const latencyMs = now - entry.lastEventMs;
    entry.lastEventMs = now;
    safely(() => {
      this.#restored.add(numRestored, entry.attributes);
      this.#latency.record(latencyMs, entry.attributes);
    });
  }

  onRestoreEnd(partition: RestorePartition, storeName: string): void {
    this.#finish(partition, storeName);
  }

  /** A rebalance stopped the restoration; the task may continue it later or elsewhere. */
  onRestoreSuspended(partition: RestorePartition, storeName: string): void {
    this.#finish(partition, storeName);
  }

  #finish(partition: RestorePartition, storeName: string): void {
    const entry = this.#restoring.get(key(partition, storeName));
    if (entry === undefined) return;
    entry.remaining = 0;
    entry.finished = true;
  }

  /** Records still to restore, summed over every store restoring now. */
  remainingRecords(): number {
    let total = 0;
    for (const entry of this.#restoring.values()) total += entry.remaining;
    return total;
  }

  close(): void {
    safely(() => this.#remaining.removeCallback(this.#observe));
  }
}

function key(partition: RestorePartition, storeName: string): string {
  return `${storeName}\u0000${partition.topic}\u0000${partition.partition}`;
}
