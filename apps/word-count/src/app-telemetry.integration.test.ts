import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { describe, expect, it } from 'vitest';
import { appTelemetry } from 'kstreams-sample-kit';
import { SENTENCES } from './sentences.js';
import { expectedCounts, runWordCount } from './word-count-app.js';

/** Prometheus names of the instruments the README's mapping table and the Grafana dashboard use. */
const DOCUMENTED = [
  'kstreams_thread_process_total',
  'kstreams_thread_commit_latency',
  'kstreams_thread_poll_records',
  'kstreams_thread_task_created_total',
  'kstreams_task_records_lag',
  'kstreams_node_record_e2e_latency_avg',
  'kstreams_node_record_e2e_latency_max',
  'kstreams_node_process_total',
  'kstreams_state_put_latency',
  'kstreams_state_record_cache_hit_ratio',
  'kstreams_rebalance_rebalances_total',
  'kstreams_rebalance_latency',
  'kstreams_client_state',
  'kstreams_client_alive_stream_threads',
  'kstreams_thread_active_tasks',
];

describe('the word-count app with OpenTelemetry and Prometheus', () => {
  it('serves /health, /ready and /metrics with the documented metric names while it runs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'word-count-metrics-'));
    const telemetry = appTelemetry();
    const applicationId = uniqueTopicName('word-count-metrics');
    const topics = { sentences: uniqueTopicName('sentences'), words: uniqueTopicName('words'), wordCounts: uniqueTopicName('word-counts') };
    let scraped = '';
    let health: unknown;
    let ready = 0;
    try {
      const counts = await runWordCount({
        brokers: testBrokers(), applicationId, topics, stateDir, sentences: SENTENCES, meterProvider: telemetry.meterProvider, metricsRecordingLevel: 'DEBUG',
        whileRunning: async (streams) => {
          // Every instrument has data once the first commit is through.
          while (streams.health().lastCommitAgeMs === null) await new Promise((resolve) => setTimeout(resolve, 50));
          await using server = await telemetry.serve(streams);
          health = await (await fetch(`${server.url}/health`)).json();
          ready = (await fetch(`${server.url}/ready`)).status;
          scraped = await (await fetch(`${server.url}/metrics`)).text();
        },
      });
      expect(counts).toEqual(expectedCounts(SENTENCES));
    } finally {
      await telemetry.shutdown();
      rmSync(stateDir, { recursive: true, force: true });
    }
    expect(health).toMatchObject({ status: 'UP', state: 'RUNNING' });
    expect(ready).toBe(200);
    const names = new Set([...scraped.matchAll(/^([a-z0-9_]+?)(?:_bucket|_sum|_count)?(?:\{| )/gm)].map((match) => match[1]));
    for (const name of DOCUMENTED) expect([...names], name).toContain(name);
    expect(scraped).toMatch(/kstreams_node_process_total\{[^}]*processor_node_id="split-words"[^}]*\} \d+/);
  });
});
