import { createNoopMeter, metrics, type Attributes, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { recordsLevel, type EngineMetricsOptions } from '../../engine/engine-metrics.js';

/** Store operations that are timed, named as in Kafka Streams' `stream-state-metrics`. */
export type StoreOperation =
  | 'put'
  | 'put-if-absent'
  | 'put-all'
  | 'get'
  | 'delete'
  | 'range'
  | 'prefix-scan'
  | 'all'
  | 'fetch'
  | 'remove'
  | 'flush';

const METER_NAME = '@kstreams/core';

/** The class of the API's no-op histograms: recording into one is skipped, timing included. */
const NOOP_HISTOGRAM_CLASS = createNoopMeter().createHistogram('kstreams.noop').constructor;

/** Marks an operation whose histogram is a no-op (no SDK was installed when it was created). */
const UNRECORDED = null;

/**
 * OpenTelemetry instruments of one store. Each operation records into a histogram
 * `kstreams.state.<operation>.latency` (ms; its count gives Kafka Streams' `<operation>-rate`
 * and `-total`, its sum and max the `-latency-avg` and `-latency-max`); expired window/session
 * writes count into `kstreams.state.dropped-records`. Attributes: `store.name`, `store.type`,
 * `task.id`. The meter is the host's ({@link EngineMetricsOptions}; store metrics are DEBUG, as
 * in Kafka Streams), else the global one. Instruments are no-ops until the application installs
 * an SDK; telemetry never throws.
 * When the instrument of an operation is the API's no-op one (no SDK installed before the store
 * was initialised), the operation is not timed at all, so metrics cost nothing per operation.
 */
export class StoreMetrics {
  readonly #histograms = new Map<StoreOperation, Histogram | typeof UNRECORDED>();
  #dropped: Counter | undefined;
  #attributes: Attributes;
  #meter: Meter | undefined;
  /** Drops are INFO in Kafka Streams: recorded whatever the level. */
  #dropMeter: Meter | undefined;

  constructor(
    private readonly storeName: string,
    private readonly storeType: string,
  ) {
    this.#attributes = { 'store.name': storeName, 'store.type': storeType };
  }

  /** Binds the instruments to the task the store was initialised for, and to the host's meter. */
  init(taskId: string, options?: EngineMetricsOptions): void {
    this.#attributes = { ...options?.attributes, 'store.name': this.storeName, 'store.type': this.storeType, 'task.id': taskId };
    this.#histograms.clear();
    this.#dropped = undefined;
    this.#dropMeter = options?.meter;
    this.#meter = options === undefined ? undefined : recordsLevel(options.recordingLevel, 'DEBUG') ? options.meter : createNoopMeter();
  }

  #currentMeter(): Meter {
    return this.#meter ?? metrics.getMeter(METER_NAME);
  }

  /**
   * True when `operation` is not recorded (no SDK): callers on the per-record path then call the
   * operation directly instead of allocating a closure for {@link time}.
   */
  untimed(operation: StoreOperation): boolean {
    return this.#histogram(operation) === UNRECORDED;
  }

  /** Runs `operation` and records its latency. */
  time<T>(operation: StoreOperation, run: () => T): T {
    const histogram = this.#histogram(operation);
    if (histogram === UNRECORDED) return run();
    const start = performance.now();
    try {
      return run();
    } finally {
      this.#record(histogram, performance.now() - start);
    }
  }

  /** Like {@link time} for operations that may return a promise. */
  timeMaybeAsync(operation: StoreOperation, run: () => void | Promise<void>): void | Promise<void> {
    const histogram = this.#histogram(operation);
    if (histogram === UNRECORDED) return run();
    const start = performance.now();
    const result = run();
    if (result === undefined) {
      this.#record(histogram, performance.now() - start);
      return;
    }
    return result.then(() => this.#record(histogram, performance.now() - start));
  }

  /** Counts one write dropped because it was older than the retention. */
  recordDropped(): void {
    try {
      this.#dropped ??= (this.#dropMeter ?? metrics.getMeter(METER_NAME)).createCounter('kstreams.state.dropped-records', {
        description: 'Writes to a window or session store dropped because they were older than its retention.',
      });
      this.#dropped.add(1, this.#attributes);
    } catch {
      // Telemetry must never break the store.
    }
  }

  /** The operation's histogram, created on first use; {@link UNRECORDED} when it is a no-op. */
  #histogram(operation: StoreOperation): Histogram | typeof UNRECORDED {
    const known = this.#histograms.get(operation);
    if (known !== undefined) return known;
    let histogram: Histogram | typeof UNRECORDED = UNRECORDED;
    try {
      const created = this.#currentMeter().createHistogram(`kstreams.state.${operation}.latency`, {
        unit: 'ms',
        description: `Latency of ${operation} operations on a state store.`,
      });
      if (created.constructor !== NOOP_HISTOGRAM_CLASS) histogram = created;
    } catch {
      // Telemetry must never break the store.
    }
    this.#histograms.set(operation, histogram);
    return histogram;
  }

  #record(histogram: Histogram, latencyMs: number): void {
    try {
      histogram.record(latencyMs, this.#attributes);
    } catch {
      // Telemetry must never break the store.
    }
  }
}
