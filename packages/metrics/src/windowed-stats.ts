import type { Attributes, BatchObservableResult, Observable } from '@opentelemetry/api';
import type { MetricDefinition } from './metric-names.js';
import { safely, type StreamsMetrics } from './streams-metrics.js';

/** Min, max, sum and count of one attribute set's values since the last collection. */
export interface StatsCell {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/**
 * Kafka Streams' `-min`/`-avg`/`-max` sensors as three observable gauges: values are folded
 * into plain numbers on the hot path and reported when metrics are collected, then the window
 * starts over (Java's sensors are windowed too). An attribute set with no value in a window is
 * not reported in it. Assumes one metric reader per provider, as every window is read once.
 */
export class WindowedStats {
  readonly #cells: { readonly attributes: Attributes; readonly cell: StatsCell }[] = [];
  readonly #gauges: Observable[];
  readonly #streamsMetrics: StreamsMetrics;
  readonly #observe = (observer: BatchObservableResult): void => {
    const [min, avg, max] = this.#gauges as [Observable, Observable, Observable];
    for (const { attributes, cell } of this.#cells) {
      if (cell.count === 0) continue;
      observer.observe(min, cell.min, attributes);
      observer.observe(avg, cell.sum / cell.count, attributes);
      observer.observe(max, cell.max, attributes);
      Object.assign(cell, emptyCell());
    }
  };

  constructor(streamsMetrics: StreamsMetrics, definitions: { min: MetricDefinition; avg: MetricDefinition; max: MetricDefinition }) {
    this.#streamsMetrics = streamsMetrics;
    this.#gauges = [definitions.min, definitions.avg, definitions.max].map((definition) => streamsMetrics.gauge(definition));
    streamsMetrics.meter.addBatchObservableCallback(this.#observe, this.#gauges);
  }

  /** A new cell reported with `attributes`. */
  cell(attributes: Attributes): StatsCell {
    const cell = emptyCell();
    this.#cells.push({ attributes, cell });
    return cell;
  }

  close(): void {
    safely(() => this.#streamsMetrics.meter.removeBatchObservableCallback(this.#observe, this.#gauges));
  }
}

/** Adds `value` to the cell's window. */
export function recordStat(cell: StatsCell, value: number): void {
  if (value < cell.min) cell.min = value;
  if (value > cell.max) cell.max = value;
  cell.sum += value;
  cell.count++;
}

function emptyCell(): StatsCell {
  return { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, sum: 0, count: 0 };
}
