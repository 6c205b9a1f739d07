import { composeProcessorWrappers, type TaskConfig } from '@kstreams/core';
import { StreamsTelemetry, healthReport, type ClientMetrics, type HealthReport, type ThreadHealth, type ThreadTaskCounts } from '@kstreams/metrics';
import type { Logger } from './internal/engine-ports.js';
import type { StreamsConfig } from './streams-config.js';
import { ThreadRuntimeMetrics } from './thread-runtime-metrics.js';

/** The tasks of one thread as the runtime reports them (`localThreadsMetadata()`). */
export interface RuntimeThreadView {
  readonly threadName: string;
  readonly state: string;
  readonly activeTasks: readonly { readonly taskId: string; readonly state: string }[];
  readonly standbyTasks: readonly string[];
}

/** What {@link RuntimeMetrics} reads from the KafkaStreams instance. */
export interface RuntimeView {
  state(): string;
  threads(): readonly RuntimeThreadView[];
}

/**
 * The runtime's telemetry in one object, built from the StreamsConfig's `meterProvider`,
 * `metricsRecordingLevel`, `processorWrapper`, `tracing` and `taskLifecycleListener`: adds the
 * processor wrapper chain and the engine's meter to each thread's task config, hands each
 * thread a {@link ThreadRuntimeMetrics} for its hooks, observes the client gauges and builds
 * `health()` reports. KafkaStreams and StreamThread only call it (one line per call site).
 */
export class RuntimeMetrics {
  readonly telemetry: StreamsTelemetry;
  readonly #view: RuntimeView;
  readonly #threads = new Map<string, ThreadRuntimeMetrics>();
  readonly #client: ClientMetrics;

  constructor(config: StreamsConfig, view: RuntimeView, logger: Logger) {
    this.#view = view;
    this.telemetry = new StreamsTelemetry({
      recordingLevel: config.metricsRecordingLevel,
      tracing: config.tracing,
      onListenerError: (error) => logger.warn('The task lifecycle listener threw; ignoring it.', { error }),
      ...(config.meterProvider === undefined ? {} : { meterProvider: config.meterProvider }),
      ...(config.processorWrapper === undefined ? {} : { processorWrapper: config.processorWrapper }),
      ...(config.taskLifecycleListener === undefined ? {} : { taskLifecycleListener: config.taskLifecycleListener }),
    });
    this.#client = this.telemetry.client({
      applicationId: config.applicationId,
      state: () => view.state(),
      aliveStreamThreads: () => view.threads().filter((thread) => thread.state !== 'DEAD').length,
    });
  }

  /**
   * `base` with the processor wrappers and, when an SDK records them, the engine metrics of
   * thread `threadName` (without an SDK the engine keeps its own no-op instruments).
   */
  taskConfig(base: TaskConfig, threadName: string): TaskConfig {
    const engine = this.telemetry.engineTelemetry(threadName);
    const processorWrapper = composeProcessorWrappers(base.processorWrapper, engine.processorWrapper);
    return this.telemetry.metrics.measures('INFO') ? { ...base, processorWrapper, metrics: engine.metrics } : { ...base, processorWrapper };
  }

  /** The hooks of a new stream thread; `taskIds` and `taskCounts` read its task manager. */
  thread(threadName: string, taskIds: () => readonly string[], taskCounts: () => ThreadTaskCounts): ThreadRuntimeMetrics {
    const thread = new ThreadRuntimeMetrics({
      threadName,
      telemetry: this.telemetry.thread(threadName, taskCounts),
      taskIds,
      onClose: () => this.#threads.delete(threadName),
    });
    this.#threads.set(threadName, thread);
    return thread;
  }

  /** A stream thread died of an uncaught error. */
  onThreadFailed(): void {
    this.#client.onThreadFailed();
  }

  /** State, live threads, restoring tasks, lag and last commit age of the instance. */
  health(): HealthReport {
    const threads = this.#view.threads().map(threadHealth);
    const live = [...this.#threads.values()];
    const lastCommits = live.map((thread) => thread.telemetry.metrics.lastCommitAtMs).filter((time) => time !== undefined);
    return healthReport({
      state: () => this.#view.state(),
      threads: () => threads,
      lags: () => live.flatMap((thread) => thread.telemetry.lag.lags()),
      lastCommitAtMs: () => (lastCommits.length === 0 ? undefined : Math.max(...lastCommits)),
    });
  }
}

function threadHealth(thread: RuntimeThreadView): ThreadHealth {
  return {
    name: thread.threadName,
    state: thread.state,
    activeTasks: thread.activeTasks.length,
    restoringTasks: thread.activeTasks.filter((task) => task.state === 'RESTORING').map((task) => task.taskId),
    standbyTasks: thread.standbyTasks.length,
  };
}

/** Task counts of a thread from its task metadata. */
export function taskCounts(activeTasks: readonly { readonly state: string }[], standbyTasks: readonly string[]): ThreadTaskCounts {
  return { active: activeTasks.length, standby: standbyTasks.length, restoring: activeTasks.filter((task) => task.state === 'RESTORING').length };
}
