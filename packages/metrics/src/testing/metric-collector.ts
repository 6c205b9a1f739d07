import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';

/** One data point of an instrument, flattened for assertions. */
export interface CollectedPoint {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Counter and gauge value, or a histogram's count. */
  readonly value: number;
  /** A histogram's sum (undefined for counters and gauges). */
  readonly sum?: number;
}

class InMemoryReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A meter provider with an in-memory reader: `points(name)` collects and returns an instrument's data points. */
export function metricCollector(): { meterProvider: MeterProvider; points(name: string): Promise<CollectedPoint[]>; names(): Promise<string[]> } {
  const reader = new InMemoryReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collect = async () => (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  return {
    meterProvider,
    points: async (name) => {
      const metric = (await collect()).find((candidate) => candidate.descriptor.name === name);
      return (metric?.dataPoints ?? []).map((point: DataPoint<unknown>) => flatten(point));
    },
    names: async () => (await collect()).filter((metric) => metric.dataPoints.length > 0).map((metric) => metric.descriptor.name),
  };
}

function flatten(point: DataPoint<unknown>): CollectedPoint {
  const value = point.value as number | Histogram;
  if (typeof value === 'number') return { attributes: point.attributes, value };
  return value.sum === undefined ? { attributes: point.attributes, value: value.count } : { attributes: point.attributes, value: value.count, sum: value.sum };
}
