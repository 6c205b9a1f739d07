import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { healthReport, type HealthSource, type ThreadHealth } from './health.js';
import { startHealthServer } from './health-server.js';
import { StreamsTelemetry } from './streams-telemetry.js';

function source(state: string, threads: ThreadHealth[], lastCommitAtMs?: number): HealthSource {
  return { state: () => state, threads: () => threads, lags: () => [{ topic: 'in', partition: 0, lag: 5 }, { topic: 'in', partition: 1, lag: 2 }], lastCommitAtMs: () => lastCommitAtMs };
}

const running: ThreadHealth = { name: 't-1', state: 'RUNNING', activeTasks: 2, restoringTasks: [], standbyTasks: 0 };
const restoring: ThreadHealth = { name: 't-2', state: 'RUNNING', activeTasks: 1, restoringTasks: ['1_0'], standbyTasks: 0 };

describe('healthReport', () => {
  it('is UP and ready when running with nothing restoring, with lag and commit age', () => {
    const report = healthReport(source('RUNNING', [running], 1_000), 4_000);
    expect(report).toMatchObject({ status: 'UP', ready: true, threadsAlive: 1, tasksRestoring: [], lastCommitAgeMs: 3_000 });
    expect(report.lag.total).toBe(7);
  });

  it('is UP but not ready while a task restores or the group rebalances, DOWN in ERROR', () => {
    expect(healthReport(source('RUNNING', [running, restoring]))).toMatchObject({ status: 'UP', ready: false, tasksRestoring: ['1_0'], lastCommitAgeMs: null });
    expect(healthReport(source('REBALANCING', [running]))).toMatchObject({ status: 'UP', ready: false });
    expect(healthReport(source('ERROR', [{ ...running, state: 'DEAD' }]))).toMatchObject({ status: 'DOWN', ready: false, threadsAlive: 0 });
  });
});

describe('startHealthServer', () => {
  it('answers /health and /ready with the report, and /metrics from the Prometheus exporter', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    const thread = new StreamsTelemetry({ meterProvider }).thread('t-1');
    thread.lag.onFetch({ topic: 'in', partition: 0 }, 3, 10);
    let state = 'REBALANCING';
    await using server = await startHealthServer({ health: () => healthReport(source(state, [running])), prometheusExporter: exporter });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    state = 'RUNNING';
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ state: 'RUNNING', ready: true });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/kstreams_task_records_lag\{[^}]*partition="0"[^}]*\} 7/);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    await meterProvider.shutdown();
  });

  it('says /metrics needs an exporter when none was given', async () => {
    await using server = await startHealthServer({ health: () => healthReport(source('RUNNING', [])) });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('pass prometheusExporter');
  });
});
