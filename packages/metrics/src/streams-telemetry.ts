import { composeProcessorWrappers, composeTaskLifecycleListeners, type EngineMetricsOptions, type ProcessorWrapper, type TaskLifecycleListener } from '@kstreams/core';
import { ClientMetrics, type ClientView } from './client-metrics.js';
import { ConsumerLag } from './consumer-lag.js';
import { nodeMetricsWrapper } from './node-metrics-wrapper.js';
import { RebalanceMetrics } from './rebalance-metrics.js';
import { RestoreMetrics } from './restore-metrics.js';
import { StreamsMetrics, type StreamsMetricsOptions } from './streams-metrics.js';
import { ThreadMetrics, type ThreadTaskCounts } from './thread-metrics.js';
import { TransactionMetrics } from './transaction-metrics.js';
import { tracingWrapper, type TracingOptions } from './tracing-wrapper.js';

/** What {@link StreamsTelemetry} is built from; every field is optional. */
export interface StreamsTelemetryOptions extends StreamsMetricsOptions {
  /** The application's own wrapper around every node (audit, timing, sampling). */
  readonly processorWrapper?: ProcessorWrapper;
  /** A span per processed record (DEBUG level) and `traceparent` propagation; `true` for the defaults. */
  readonly tracing?: boolean | TracingOptions;
  /** The application's own task-lifecycle and commit hooks. */
  readonly taskLifecycleListener?: TaskLifecycleListener;
  /** Where errors thrown by the application's lifecycle listener go; default: ignored. */
  readonly onListenerError?: (error: unknown) => void;
}

/** The engine settings telemetry adds to each thread's task config. */
export interface EngineTelemetry {
  readonly processorWrapper: ProcessorWrapper;
  readonly metrics: EngineMetricsOptions;
}

/** The telemetry of one stream thread. */
export interface ThreadTelemetry {
  readonly metrics: ThreadMetrics;
  readonly lag: ConsumerLag;
  readonly restore: RestoreMetrics;
  readonly rebalance: RebalanceMetrics;
  readonly transactions: TransactionMetrics;
  /** The thread's metrics and the application's listener, together. */
  readonly lifecycle: TaskLifecycleListener;
  close(): void;
}

/**
 * Everything telemetry of one kstreams instance: the {@link StreamsMetrics} root, the processor
 * wrapper chain (tracing outermost, then the application's wrapper, then per-node metrics: the
 * built-ins use the same hook users get), and per-thread and client metrics. The runtime builds
 * one from its options; with the test driver, spread {@link engineTelemetry} into its config.
 *
 * @example
 * const telemetry = new StreamsTelemetry({ meterProvider, recordingLevel: 'DEBUG' });
 * const driver = new TopologyTestDriver(topology, { ...telemetry.engineTelemetry() });
 */
export class StreamsTelemetry {
  readonly metrics: StreamsMetrics;
  readonly #options: StreamsTelemetryOptions;

  constructor(options: StreamsTelemetryOptions = {}) {
    this.metrics = new StreamsMetrics(options);
    this.#options = options;
  }

  /** The processor wrapper and metrics settings for the tasks of one thread. */
  engineTelemetry(threadName?: string): EngineTelemetry {
    const tracing = this.#options.tracing;
    const tracer = tracing === undefined || tracing === false ? undefined : tracingWrapper(this.metrics, tracing === true ? {} : tracing);
    return {
      processorWrapper: composeProcessorWrappers(tracer, this.#options.processorWrapper, nodeMetricsWrapper(this.metrics, threadName)),
      metrics: this.metrics.engineMetrics(threadName),
    };
  }

  /** The metrics of one stream thread; `taskCounts` feeds its active/standby/restoring gauges. */
  thread(threadName: string, taskCounts?: () => ThreadTaskCounts): ThreadTelemetry {
    const metrics = new ThreadMetrics(this.metrics, threadName, taskCounts);
    const lag = new ConsumerLag(this.metrics, threadName);
    const restore = new RestoreMetrics(this.metrics, threadName);
    return {
      metrics,
      lag,
      restore,
      rebalance: new RebalanceMetrics(this.metrics, threadName),
      transactions: new TransactionMetrics(this.metrics, threadName),
      lifecycle: composeTaskLifecycleListeners([metrics, this.#options.taskLifecycleListener], this.#options.onListenerError),
      close: () => {
        metrics.close();
        lag.close();
        restore.close();
      },
    };
  }

  /** The client-level gauges of an instance. */
  client(view: ClientView): ClientMetrics {
    return new ClientMetrics(this.metrics, view);
  }
}
