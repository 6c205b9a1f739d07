import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class InMemoryReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point: a counter's or gauge's value, or a histogram's count. */
export interface MetricPoint {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
}

/** A meter provider read in memory: `points(name)` collects now and returns that instrument's points. */
export function inMemoryMetrics(): { meterProvider: MeterProvider; points(name: string): Promise<MetricPoint[]>; sum(name: string): Promise<number> } {
  const reader = new InMemoryReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const points = async (name: string): Promise<MetricPoint[]> => {
    const collected = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const metric = collected.find((candidate) => candidate.descriptor.name === name);
    return (metric?.dataPoints ?? []).map((point) => ({
      attributes: point.attributes,
      value: typeof point.value === 'number' ? point.value : (point.value as { count: number }).count,
    }));
  };
  return { meterProvider, points, sum: async (name) => (await points(name)).reduce((total, point) => total + point.value, 0) };
}
