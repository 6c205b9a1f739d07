import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { startHealthServer, type HealthServer, type KafkaStreams } from 'kstreams';

/** The sample app's OpenTelemetry SDK: a meter provider read by a Prometheus exporter. */
export interface AppTelemetry {
  readonly meterProvider: MeterProvider;
  readonly exporter: PrometheusExporter;
  /** Serves `/health`, `/ready` and `/metrics` of `streams` on loopback (port 0: a free one). */
  serve(streams: KafkaStreams, port?: number): Promise<HealthServer>;
  shutdown(): Promise<void>;
}

/**
 * Installs the OpenTelemetry metrics SDK for the app: kstreams gets the meter provider through
 * `meterProvider`, and the Prometheus exporter (its own server turned off) answers `/metrics`
 * on kstreams' health server, next to `/health` and `/ready`.
 */
export function appTelemetry(): AppTelemetry {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    exporter,
    serve: (streams, port = 0) => startHealthServer({ health: () => streams.health(), port, prometheusExporter: exporter }),
    shutdown: () => meterProvider.shutdown(),
  };
}
