import type { Attributes, BatchObservableResult, Counter, Histogram, Observable } from '@opentelemetry/api';
import type { CommitEvent, TaskLifecycleEvent, TaskLifecycleListener } from '@kstreams/core';
import { METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/** Task counts of one stream thread, read when metrics are collected. */
export interface ThreadTaskCounts {
  readonly active: number;
  readonly standby: number;
  readonly restoring: number;
}

/**
 * Kafka Streams' stream-thread metrics of one thread (`thread.id` attribute): process, poll,
 * commit and punctuate rates and latencies, blocked time in the producer, tasks created and
 * closed, and the active/standby/restoring task counts. It is also a
 * {@link TaskLifecycleListener}: the host reports task and commit events to it.
 */
export class ThreadMetrics implements TaskLifecycleListener {
  readonly threadName: string;
  readonly #attributes: Attributes;
  readonly #process: Counter;
  readonly #processLatency: Histogram;
  readonly #poll: Counter;
  readonly #pollRecords: Histogram;
  readonly #commitLatency: Histogram;
  readonly #punctuateLatency: Histogram;
  readonly #blockedTime: Counter;
  readonly #taskCreated: Counter;
  readonly #taskClosed: Counter;
  readonly #taskGauges: Observable[];
  readonly #observeTasks: ((observer: BatchObservableResult) => void) | undefined;
  readonly #streamsMetrics: StreamsMetrics;
  #lastCommitAtMs: number | undefined;

  constructor(streamsMetrics: StreamsMetrics, threadName: string, taskCounts?: () => ThreadTaskCounts) {
    this.threadName = threadName;
    this.#streamsMetrics = streamsMetrics;
    this.#attributes = threadAttributes(threadName);
    this.#process = streamsMetrics.counter(METRICS.threadProcess);
    this.#processLatency = streamsMetrics.histogram(METRICS.threadProcessLatency);
    this.#poll = streamsMetrics.counter(METRICS.threadPoll);
    this.#pollRecords = streamsMetrics.histogram(METRICS.threadPollRecords);
    this.#commitLatency = streamsMetrics.histogram(METRICS.threadCommitLatency);
    this.#punctuateLatency = streamsMetrics.histogram(METRICS.threadPunctuateLatency);
    this.#blockedTime = streamsMetrics.counter(METRICS.threadBlockedTime);
    this.#taskCreated = streamsMetrics.counter(METRICS.threadTaskCreated);
    this.#taskClosed = streamsMetrics.counter(METRICS.threadTaskClosed);
    const [active, standby, restoring] = [METRICS.threadActiveTasks, METRICS.threadStandbyTasks, METRICS.threadRestoringTasks].map((definition) => streamsMetrics.gauge(definition)) as [Observable, Observable, Observable];
    this.#taskGauges = [active, standby, restoring];
    if (taskCounts !== undefined) {
      this.#observeTasks = (observer) => {
        const counts = taskCounts();
        observer.observe(active, counts.active, this.#attributes);
        observer.observe(standby, counts.standby, this.#attributes);
        observer.observe(restoring, counts.restoring, this.#attributes);
      };
      streamsMetrics.meter.addBatchObservableCallback(this.#observeTasks, this.#taskGauges);
    }
  }

  /** One processing step handled `records` records in `latencyMs`. */
  recordProcess(records: number, latencyMs: number): void {
    if (records === 0) return;
    safely(() => {
      this.#process.add(records, this.#attributes);
      this.#processLatency.record(latencyMs, this.#attributes);
    });
  }

  /** A fetched batch of `records` records reached the thread. */
  recordPoll(records: number): void {
    safely(() => {
      this.#poll.add(1, this.#attributes);
      this.#pollRecords.record(records, this.#attributes);
    });
  }

  recordPunctuate(latencyMs: number): void {
    safely(() => this.#punctuateLatency.record(latencyMs, this.#attributes));
  }

  /** The thread waited `latencyMs` for the producer (flush before a commit). */
  recordBlocked(latencyMs: number): void {
    safely(() => this.#blockedTime.add(latencyMs, this.#attributes));
  }

  /** When the thread last committed (epoch ms), if it did. */
  get lastCommitAtMs(): number | undefined {
    return this.#lastCommitAtMs;
  }

  onTaskCreated(_event: TaskLifecycleEvent): void {
    safely(() => this.#taskCreated.add(1, this.#attributes));
  }

  onTaskClosed(_event: TaskLifecycleEvent & { readonly clean: boolean }): void {
    safely(() => this.#taskClosed.add(1, this.#attributes));
  }

  afterCommit(_commit: CommitEvent, outcome: { readonly latencyMs: number; readonly committedOffsets: number }): void {
    this.#lastCommitAtMs = Date.now();
    safely(() => this.#commitLatency.record(outcome.latencyMs, this.#attributes));
  }

  /** Stops observing the task counts (the thread is gone). */
  close(): void {
    if (this.#observeTasks !== undefined) safely(() => this.#streamsMetrics.meter.removeBatchObservableCallback(this.#observeTasks as (observer: BatchObservableResult) => void, this.#taskGauges));
  }
}
