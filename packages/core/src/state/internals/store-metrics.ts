import { metrics, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';

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

/**
 * OpenTelemetry instruments of one store. Each operation records into a histogram
 * `kstreams.state.<operation>-latency` (ms; its count gives Kafka Streams' `<operation>-rate`
 * and `-total`, its sum and max the `-latency-avg` and `-latency-max`); expired window/session
 * writes count into `kstreams.state.dropped-records`. Attributes: `store.name`, `store.type`,
 * `task.id`. Instruments are no-ops until the application installs an SDK; telemetry never throws.
 */
export class StoreMetrics {
  readonly #histograms = new Map<StoreOperation, Histogram>();
  #dropped: Counter | undefined;
  #attributes: Attributes;

  constructor(
    private readonly storeName: string,
    private readonly storeType: string,
  ) {
    this.#attributes = { 'store.name': storeName, 'store.type': storeType };
  }

  /** Binds the instruments to the task the store was initialised for. */
  init(taskId: string): void {
    this.#attributes = { 'store.name': this.storeName, 'store.type': this.storeType, 'task.id': taskId };
    this.#histograms.clear();
    this.#dropped = undefined;
  }

  /** Runs `operation` and records its latency. */
  time<T>(operation: StoreOperation, run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.#record(operation, performance.now() - start);
    }
  }

  /** Like {@link time} for operations that may return a promise. */
  timeMaybeAsync(operation: StoreOperation, run: () => void | Promise<void>): void | Promise<void> {
    const start = performance.now();
    const result = run();
    if (result === undefined) {
      this.#record(operation, performance.now() - start);
      return;
    }
    return result.then(() => this.#record(operation, performance.now() - start));
  }

  /** Counts one write dropped because it was older than the retention. */
  recordDropped(): void {
    try {
      this.#dropped ??= metrics.getMeter(METER_NAME).createCounter('kstreams.state.dropped-records', {
        description: 'Writes to a window or session store dropped because they were older than its retention.',
      });
      this.#dropped.add(1, this.#attributes);
    } catch {
      // Telemetry must never break the store.
    }
  }

  #record(operation: StoreOperation, latencyMs: number): void {
    try {
      let histogram = this.#histograms.get(operation);
      if (histogram === undefined) {
        histogram = metrics.getMeter(METER_NAME).createHistogram(`kstreams.state.${operation}-latency`, {
          unit: 'ms',
          description: `Latency of ${operation} operations on a state store.`,
        });
        this.#histograms.set(operation, histogram);
      }
      histogram.record(latencyMs, this.#attributes);
    } catch {
      // Telemetry must never break the store.
    }
  }
}
