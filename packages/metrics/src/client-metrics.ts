import type { BatchObservableResult, Counter, Observable } from '@opentelemetry/api';
import { METRICS } from './metric-names.js';
import { safely, type StreamsMetrics } from './streams-metrics.js';

/** What the client-level gauges read from a running instance. */
export interface ClientView {
  readonly applicationId: string;
  /** The lifecycle state, e.g. `RUNNING`. */
  state(): string;
  aliveStreamThreads(): number;
}

/** Kafka Streams' client states: the state gauge reports 1 for the current one and 0 for the others. */
export const CLIENT_STATES = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'PENDING_ERROR', 'ERROR'] as const;

/** The kstreams version reported by `kstreams.client.info`. */
export const KSTREAMS_VERSION = '0.1.0';

/**
 * Kafka Streams' client-level metrics: `kstreams.client.state` (1 for the current `state`
 * attribute, 0 for the others, so that no exporter keeps a stale 1), alive stream threads, failed stream threads, and `kstreams.client.info`
 * (version, commit id and application id as attributes).
 */
export class ClientMetrics {
  readonly #failedThreads: Counter;
  readonly #gauges: Observable[];
  readonly #observe: (observer: BatchObservableResult) => void;
  readonly #streamsMetrics: StreamsMetrics;

  constructor(streamsMetrics: StreamsMetrics, view: ClientView, info: { version?: string; commitId?: string } = {}) {
    this.#streamsMetrics = streamsMetrics;
    this.#failedThreads = streamsMetrics.counter(METRICS.clientFailedThreads);
    const [state, alive, clientInfo] = [METRICS.clientState, METRICS.clientAliveThreads, METRICS.clientInfo].map((definition) => streamsMetrics.gauge(definition)) as [Observable, Observable, Observable];
    this.#gauges = [state, alive, clientInfo];
    const infoAttributes = { version: info.version ?? KSTREAMS_VERSION, 'commit.id': info.commitId ?? 'unknown', 'application.id': view.applicationId };
    this.#observe = (observer) => {
      const current = view.state();
      for (const known of CLIENT_STATES) observer.observe(state, known === current ? 1 : 0, { state: known });
      observer.observe(alive, view.aliveStreamThreads());
      observer.observe(clientInfo, 1, infoAttributes);
    };
    streamsMetrics.meter.addBatchObservableCallback(this.#observe, this.#gauges);
  }

  /** A stream thread died of an uncaught error. */
  onThreadFailed(): void {
    safely(() => this.#failedThreads.add(1));
  }

  close(): void {
    safely(() => this.#streamsMetrics.meter.removeBatchObservableCallback(this.#observe, this.#gauges));
  }
}
