// The example of packages/metrics/README.md (minus start()), kept here so it keeps compiling and working.
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { KafkaStreams, Serdes, Topology, startHealthServer, type ProcessorWrapper } from './index.js';

describe('The metrics README example', () => {
  it('builds KafkaStreams with a meter provider, tracing and a wrapper, and serves its health', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    const seen = new Map<string, number>();
    const audit: ProcessorWrapper = {
      wrapNode: (node) => ({
        process: (record, proceed) => {
          seen.set(node.nodeName, (seen.get(node.nodeName) ?? 0) + 1);
          return proceed(record);
        },
      }),
    };
    const topology = new Topology()
      .addSource('orders', { topics: ['orders'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('copy', 'orders-copy', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'orders');
    const streams = new KafkaStreams(topology, {
      applicationId: 'orders-copy',
      bootstrapServers: 'localhost:9092',
      meterProvider,
      metricsRecordingLevel: 'DEBUG',
      tracing: true,
      processorWrapper: audit,
    });
    await using server = await startHealthServer({ health: () => streams.health(), port: 0, prometheusExporter: exporter });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'UP', ready: false, state: 'CREATED', lastCommitAgeMs: null });
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^kstreams_client_state\{state="CREATED"[^}]*\} 1$/m);
    await meterProvider.shutdown();
  });
});
