import { createNoopMeter, metrics, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';
import { recordsLevel, type EngineMetricsOptions } from './engine-metrics.js';

/** The class of the API's no-op histograms: while no SDK is installed, latency is not timed. */
const NOOP_HISTOGRAM_CLASS = createNoopMeter().createHistogram('kstreams.noop').constructor;

/**
 * Why a record was dropped; a bounded set so it can be a metric attribute. Processors report
 * their own drops through `context.recordDropped(reason)`: `late-record` for a record whose
 * windows are all closed (past the grace period), `null-key` for a record an aggregation or join
 * cannot key, `null-value` for a join record without a value (as Kafka Streams skips them).
 */
export type DropReason = 'deserialization-error' | 'negative-timestamp' | 'processing-error' | 'late-record' | 'null-key' | 'null-value';

/**
 * The task-level metrics, mirroring Kafka Streams' names (`process-rate`/`-latency`,
 * `punctuate-rate`/`-latency`, `dropped-records`). Instruments come from the host's
 * {@link EngineMetricsOptions} (process and punctuate at DEBUG, drops at INFO, as in Kafka
 * Streams), else from the global meter `kstreams` at every level: no-ops until the application
 * installs an OpenTelemetry SDK. The task also keeps plain counts, so tests and the driver can
 * read drops without an SDK.
 */
export class TaskMetrics {
  readonly #attributes: Attributes;
  readonly #process: Counter;
  readonly #processLatency: Histogram;
  readonly #punctuate: Counter;
  readonly #punctuateLatency: Histogram;
  readonly #dropped: Counter;
  readonly #droppedByReason = new Map<DropReason, number>();
  #processedCount = 0;
  /** False when the latency histograms are no-ops: callers then skip reading the clock. */
  readonly timesLatency: boolean;

  constructor(taskId: string, options?: EngineMetricsOptions) {
    const meter = options?.meter ?? metrics.getMeter('kstreams');
    // Below DEBUG the per-record instruments are the API's no-ops: the clock is not even read.
    const perRecord = options === undefined || recordsLevel(options.recordingLevel, 'DEBUG') ? meter : createNoopMeter();
    this.#attributes = { ...options?.attributes, 'task.id': taskId };
    this.#process = perRecord.createCounter('kstreams.task.process', { description: 'Records processed by the task.' });
    this.#processLatency = perRecord.createHistogram('kstreams.task.process.latency', { unit: 'ms', description: 'Time to process one record through the sub-topology.' });
    this.#punctuate = perRecord.createCounter('kstreams.task.punctuate', { description: 'Punctuator calls.' });
    this.#punctuateLatency = perRecord.createHistogram('kstreams.task.punctuate.latency', { unit: 'ms', description: 'Time spent in one punctuator call.' });
    this.timesLatency = this.#processLatency.constructor !== NOOP_HISTOGRAM_CLASS;
    this.#dropped = meter.createCounter('kstreams.task.dropped-records', { description: 'Records dropped (bad bytes, negative timestamps, handled processing errors).' });
  }

  recordProcess(latencyMs: number): void {
    this.#processedCount++;
    if (!this.timesLatency) return;
    this.#process.add(1, this.#attributes);
    this.#processLatency.record(latencyMs, this.#attributes);
  }

  recordPunctuate(latencyMs: number): void {
    if (!this.timesLatency) return;
    this.#punctuate.add(1, this.#attributes);
    this.#punctuateLatency.record(latencyMs, this.#attributes);
  }

  recordDropped(reason: DropReason): void {
    this.#droppedByReason.set(reason, (this.#droppedByReason.get(reason) ?? 0) + 1);
    this.#dropped.add(1, { ...this.#attributes, reason });
  }

  /** Records that went through the sub-topology (drops excluded). */
  get processedCount(): number {
    return this.#processedCount;
  }

  /** Dropped records so far, by reason. */
  droppedRecords(): ReadonlyMap<DropReason, number> {
    return this.#droppedByReason;
  }

  /** Total dropped records. */
  get droppedCount(): number {
    let total = 0;
    for (const count of this.#droppedByReason.values()) total += count;
    return total;
  }
}
