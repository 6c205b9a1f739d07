import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/**
 * Rebalance metrics of one stream thread: `kstreams.rebalance.rebalances`,
 * `kstreams.rebalance.latency` (from the start of a rebalance until the new assignment's tasks
 * run) and the tasks each assignment moved in and out.
 */
export class RebalanceMetrics {
  readonly #rebalances: Counter;
  readonly #latency: Histogram;
  readonly #assigned: Counter;
  readonly #revoked: Counter;
  readonly #attributes: Attributes;
  #startedAtMs: number | undefined;
  #count = 0;

  constructor(streamsMetrics: StreamsMetrics, threadName?: string) {
    this.#attributes = threadAttributes(threadName);
    this.#rebalances = streamsMetrics.counter(METRICS.rebalances);
    this.#latency = streamsMetrics.histogram(METRICS.rebalanceLatency);
    this.#assigned = streamsMetrics.counter(METRICS.rebalanceTasksAssigned);
    this.#revoked = streamsMetrics.counter(METRICS.rebalanceTasksRevoked);
  }

  /** The group started rebalancing (counted once until the thread runs again). */
  onRebalanceStart(): void {
    if (this.#startedAtMs !== undefined) return;
    this.#startedAtMs = performance.now();
    this.#count++;
    safely(() => this.#rebalances.add(1, this.#attributes));
  }

  /** A new assignment created and closed these tasks. */
  onAssignment(change: { readonly created: readonly string[]; readonly closed: readonly string[] }): void {
    safely(() => {
      this.#assigned.add(change.created.length, this.#attributes);
      this.#revoked.add(change.closed.length, this.#attributes);
    });
  }

  /** The new assignment's tasks run: the rebalance is over. */
  onRunning(): void {
    if (this.#startedAtMs === undefined) return;
    const latencyMs = performance.now() - this.#startedAtMs;
    this.#startedAtMs = undefined;
    safely(() => this.#latency.record(latencyMs, this.#attributes));
  }

  /** Rebalances counted so far (for health and tests). */
  get rebalanceCount(): number {
    return this.#count;
  }
}
