import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import { METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/**
 * Exactly-once metrics of one stream thread: transaction commit latency (its count is the commit
 * rate), aborts and abort latency. The runtime calls these once exactly-once processing lands.
 */
export class TransactionMetrics {
  readonly #commitLatency: Histogram;
  readonly #abort: Counter;
  readonly #abortLatency: Histogram;
  readonly #attributes: Attributes;

  constructor(streamsMetrics: StreamsMetrics, threadName?: string) {
    this.#attributes = threadAttributes(threadName);
    this.#commitLatency = streamsMetrics.histogram(METRICS.transactionCommitLatency);
    this.#abort = streamsMetrics.counter(METRICS.transactionAbort);
    this.#abortLatency = streamsMetrics.histogram(METRICS.transactionAbortLatency);
  }

  onTransactionCommitted(latencyMs: number): void {
    safely(() => this.#commitLatency.record(latencyMs, this.#attributes));
  }

  onTransactionAborted(latencyMs: number): void {
    safely(() => {
      this.#abort.add(1, this.#attributes);
      this.#abortLatency.record(latencyMs, this.#attributes);
    });
  }
}
