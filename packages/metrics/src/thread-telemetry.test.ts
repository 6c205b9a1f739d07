import { describe, expect, it } from 'vitest';
import { StreamsTelemetry } from './streams-telemetry.js';
import { metricCollector } from './testing/metric-collector.js';

describe('ThreadTelemetry', () => {
  it('reports consumer lag per partition from fetches and forgets revoked partitions', async () => {
    const collector = metricCollector();
    const thread = new StreamsTelemetry({ meterProvider: collector.meterProvider }).thread('t-1');
    thread.lag.onFetch({ topic: 'input', partition: 0 }, 40, 100);
    thread.lag.onFetch({ topic: 'input', partition: 1 }, 7, 7);
    thread.lag.onFetch({ topic: 'input', partition: 0 }, 90, 100);
    const points = await collector.points('kstreams.task.records-lag');
    expect(points.map((point) => [point.attributes['partition'], point.value])).toEqual([[0, 10], [1, 0]]);
    expect(points[0]?.attributes).toMatchObject({ topic: 'input', 'thread.id': 't-1' });
    thread.lag.retain([{ topic: 'input', partition: 1 }]);
    expect(thread.lag.totalLag()).toBe(0);
    // A revoked partition reports 0 (exporters keep a gauge's last value), then is no longer observed.
    expect((await collector.points('kstreams.task.records-lag')).map((point) => [point.attributes['partition'], point.value])).toEqual([[0, 0], [1, 0]]);
    thread.lag.onFetch({ topic: 'input', partition: 1 }, 7, 9);
    expect((await collector.points('kstreams.task.records-lag')).map((point) => [point.attributes['partition'], point.value])).toEqual([[0, 0], [1, 2]]);
    thread.close();
  });

  it('tracks restore progress: records restored and records remaining while a store restores', async () => {
    const collector = metricCollector();
    const { restore } = new StreamsTelemetry({ meterProvider: collector.meterProvider, recordingLevel: 'DEBUG' }).thread('t-1');
    const changelog = { topic: 'app-counts-changelog', partition: 2 };
    restore.onRestoreStart(changelog, 'counts', 0, 1000);
    restore.onBatchRestored(changelog, 'counts', 399, 400);
    expect((await collector.points('kstreams.state.restore-remaining-records')).map((point) => point.value)).toEqual([600]);
    restore.onBatchRestored(changelog, 'counts', 999, 600);
    restore.onRestoreEnd(changelog, 'counts');
    expect((await collector.points('kstreams.state.restore-remaining-records')).map((point) => point.value)).toEqual([0]);
    expect(restore.remainingRecords()).toBe(0);
    const restored = await collector.points('kstreams.state.restore');
    expect(restored.map((point) => [point.attributes['store.name'], point.attributes['partition'], point.value])).toEqual([['counts', 2, 1000]]);
    expect((await collector.points('kstreams.state.restore.latency'))[0]?.value).toBe(2);
  });

  it('counts rebalances once per rebalance, with their latency and the tasks moved', async () => {
    const collector = metricCollector();
    const { rebalance } = new StreamsTelemetry({ meterProvider: collector.meterProvider }).thread('t-1');
    rebalance.onRebalanceStart();
    rebalance.onRebalanceStart();
    rebalance.onAssignment({ created: ['0_0', '0_1'], closed: [] });
    rebalance.onRunning();
    rebalance.onRebalanceStart();
    rebalance.onAssignment({ created: [], closed: ['0_1'] });
    rebalance.onRunning();
    expect((await collector.points('kstreams.rebalance.rebalances'))[0]?.value).toBe(2);
    expect((await collector.points('kstreams.rebalance.latency'))[0]?.value).toBe(2);
    expect((await collector.points('kstreams.rebalance.tasks-assigned'))[0]?.value).toBe(2);
    expect((await collector.points('kstreams.rebalance.tasks-revoked'))[0]?.value).toBe(1);
  });

  it('records commits, tasks created and closed, process steps and task counts, and calls the application listener', async () => {
    const collector = metricCollector();
    const heard: string[] = [];
    const telemetry = new StreamsTelemetry({
      meterProvider: collector.meterProvider,
      taskLifecycleListener: {
        onTaskCreated: ({ taskId }) => heard.push(`created ${taskId}`),
        afterCommit: () => {
          throw new Error('a broken listener');
        },
      },
    });
    const thread = telemetry.thread('t-1', () => ({ active: 3, standby: 1, restoring: 2 }));
    thread.lifecycle.onTaskCreated?.({ taskId: '0_0', kind: 'active' });
    thread.lifecycle.onTaskClosed?.({ taskId: '0_0', kind: 'active', clean: true });
    thread.lifecycle.afterCommit?.({ taskIds: ['0_0'] }, { latencyMs: 12, committedOffsets: 1 });
    thread.metrics.recordProcess(250, 4);
    thread.metrics.recordProcess(0, 1);
    thread.metrics.recordPoll(500);
    expect(heard).toEqual(['created 0_0']);
    expect(thread.metrics.lastCommitAtMs).toBeGreaterThan(0);
    expect((await collector.points('kstreams.thread.commit.latency'))[0]).toMatchObject({ value: 1, sum: 12 });
    expect((await collector.points('kstreams.thread.task-created'))[0]?.value).toBe(1);
    expect((await collector.points('kstreams.thread.task-closed'))[0]?.value).toBe(1);
    expect((await collector.points('kstreams.thread.process'))[0]?.value).toBe(250);
    expect((await collector.points('kstreams.thread.poll.records'))[0]).toMatchObject({ value: 1, sum: 500 });
    expect((await collector.points('kstreams.thread.restoring-tasks'))[0]?.value).toBe(2);
    expect((await collector.points('kstreams.thread.active-tasks'))[0]?.value).toBe(3);
    thread.close();
  });

  it('rejects an unknown recording level, naming it', () => {
    expect(() => new StreamsTelemetry({ recordingLevel: 'VERBOSE' as never })).toThrow(/metricsRecordingLevel is "VERBOSE"; use 'INFO', 'DEBUG' or 'TRACE'/);
  });
});

describe('ClientMetrics', () => {
  it('reports 1 for the current state and 0 for the others, alive threads, failures and info', async () => {
    const collector = metricCollector();
    let state = 'REBALANCING';
    const client = new StreamsTelemetry({ meterProvider: collector.meterProvider }).client({ applicationId: 'app', state: () => state, aliveStreamThreads: () => 2 });
    await collector.points('kstreams.client.state');
    state = 'RUNNING';
    client.onThreadFailed();
    const states = await collector.points('kstreams.client.state');
    expect(states.filter((point) => point.value === 1).map((point) => point.attributes['state'])).toEqual(['RUNNING']);
    expect(states).toHaveLength(7);
    expect((await collector.points('kstreams.client.alive-stream-threads'))[0]?.value).toBe(2);
    expect((await collector.points('kstreams.client.failed-stream-threads'))[0]?.value).toBe(1);
    expect((await collector.points('kstreams.client.info'))[0]?.attributes).toMatchObject({ 'application.id': 'app', version: '0.1.0' });
    client.close();
  });
});
