import type { Attributes, ObservableCounter, ObservableResult } from '@opentelemetry/api';
import type { MetricDefinition } from './metric-names.js';
import { safely, type StreamsMetrics } from './streams-metrics.js';

/** One attribute set's count, incremented on the hot path without touching the SDK. */
export interface CountCell {
  count: number;
}

/**
 * A counter counted in plain numbers and reported to the SDK only when metrics are collected
 * (an observable counter). Per-record counts then cost an increment instead of an SDK call
 * that hashes the attributes every time. Cells are never dropped: their number is bounded by
 * the tasks and nodes an instance ever ran.
 */
export class ObservedCounts {
  readonly #cells: { readonly attributes: Attributes; readonly cell: CountCell }[] = [];
  readonly #counter: ObservableCounter;
  readonly #observe = (observer: ObservableResult): void => {
    for (const { attributes, cell } of this.#cells) observer.observe(cell.count, attributes);
  };

  constructor(streamsMetrics: StreamsMetrics, definition: MetricDefinition) {
    this.#counter = streamsMetrics.observableCounter(definition);
    this.#counter.addCallback(this.#observe);
  }

  /** A new cell reported with `attributes`. */
  cell(attributes: Attributes): CountCell {
    const cell = { count: 0 };
    this.#cells.push({ attributes, cell });
    return cell;
  }

  close(): void {
    safely(() => this.#counter.removeCallback(this.#observe));
  }
}
