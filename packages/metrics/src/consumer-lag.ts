import type { Attributes, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import { ATTRIBUTES, METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/** A topic partition. */
export interface LagPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The lag of one input partition: records between the fetch position and the high watermark. */
export interface PartitionLag extends LagPartition {
  readonly lag: number;
}

/**
 * Consumer lag per input partition of one stream thread (`kstreams.task.records-lag`, Java's
 * consumer `records-lag`), computed from each fetch response: high watermark minus the next
 * offset to fetch. Partitions no longer assigned are forgotten with {@link retain}.
 */
export class ConsumerLag {
  readonly #lags = new Map<string, PartitionLag>();
  /** Revoked partitions, observed once more as 0: cumulative exporters keep a gauge's last value. */
  readonly #retired = new Map<string, PartitionLag>();
  readonly #gauge: ObservableGauge;
  readonly #attributes: Attributes;
  readonly #observe = (observer: ObservableResult): void => {
    const observe = (entry: PartitionLag, lag: number): void => observer.observe(lag, { ...this.#attributes, [ATTRIBUTES.topic]: entry.topic, [ATTRIBUTES.partition]: entry.partition });
    for (const entry of this.#lags.values()) observe(entry, entry.lag);
    for (const entry of this.#retired.values()) observe(entry, 0);
    this.#retired.clear();
  };

  constructor(streamsMetrics: StreamsMetrics, threadName?: string) {
    this.#attributes = threadAttributes(threadName);
    this.#gauge = streamsMetrics.gauge(METRICS.taskRecordsLag);
    this.#gauge.addCallback(this.#observe);
  }

  /** A fetch of `partition` ended before `nextOffset`; the partition's high watermark is `highWatermark`. */
  onFetch(partition: LagPartition, nextOffset: number, highWatermark: number): void {
    if (!Number.isFinite(highWatermark) || highWatermark < 0) return;
    this.#retired.delete(key(partition));
    this.#lags.set(key(partition), { topic: partition.topic, partition: partition.partition, lag: Math.max(0, highWatermark - nextOffset) });
  }

  /** Forgets every partition not in `partitions` (after a new assignment); they report 0 once more. */
  retain(partitions: readonly LagPartition[]): void {
    const kept = new Set(partitions.map(key));
    for (const [known, entry] of [...this.#lags]) {
      if (kept.has(known)) continue;
      this.#lags.delete(known);
      this.#retired.set(known, entry);
    }
  }

  /** The last known lag of every partition. */
  lags(): PartitionLag[] {
    return [...this.#lags.values()];
  }

  /** The sum of all partitions' lag. */
  totalLag(): number {
    let total = 0;
    for (const entry of this.#lags.values()) total += entry.lag;
    return total;
  }

  close(): void {
    safely(() => this.#gauge.removeCallback(this.#observe));
  }
}

function key(partition: LagPartition): string {
  return `${partition.topic}\u0000${partition.partition}`;
}
