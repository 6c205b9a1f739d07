import { describe, expect, it } from 'vitest';
import { noopLogger } from './internal/engine-ports.js';
import { inMemoryMetrics } from './internal/testing/in-memory-metrics.js';
import { RuntimeMetrics, type RuntimeThreadView } from './runtime-metrics.js';
import { StreamsConfig } from './streams-config.js';

const base = { applicationId: 'app', bootstrapServers: 'localhost:9092' };

describe('StreamsConfig telemetry options', () => {
  it('defaults to INFO without tracing, wrapper or listener', () => {
    const config = new StreamsConfig(base);
    expect([config.metricsRecordingLevel, config.tracing, config.processorWrapper, config.meterProvider]).toEqual(['INFO', false, undefined, undefined]);
  });

  it('rejects an unknown recording level and a wrapper without wrapNode, naming the option', () => {
    expect(() => new StreamsConfig({ ...base, metricsRecordingLevel: 'ALL' as never })).toThrow('metricsRecordingLevel must be "INFO", "DEBUG" or "TRACE", got "ALL".');
    expect(() => new StreamsConfig({ ...base, processorWrapper: {} as never })).toThrow(/processorWrapper must be an object with a wrapNode\(node\) function/);
  });
});

describe('RuntimeMetrics', () => {
  const threads: RuntimeThreadView[] = [{ threadName: 'app-StreamThread-1', state: 'RUNNING', activeTasks: [{ taskId: '0_0', state: 'RUNNING' }, { taskId: '0_1', state: 'RESTORING' }], standbyTasks: [] }];

  it('adds the processor wrapper chain and the injected meter to a thread\'s task config', () => {
    const { meterProvider } = inMemoryMetrics();
    const metrics = new RuntimeMetrics(new StreamsConfig({ ...base, meterProvider, metricsRecordingLevel: 'DEBUG' }), { state: () => 'RUNNING', threads: () => threads }, noopLogger);
    const taskConfig = metrics.taskConfig({ applicationId: 'app' }, 'app-StreamThread-1');
    expect(taskConfig.metrics).toMatchObject({ recordingLevel: 'DEBUG', attributes: { 'thread.id': 'app-StreamThread-1' } });
    expect(taskConfig.processorWrapper?.wrapNode({ nodeName: 'n', kind: 'processor', taskId: '0_0', applicationId: 'app', storeNames: [], systemTimeMs: () => 0, recordMetadata: () => undefined })?.process).toBeTypeOf('function');
  });

  it('reports health from the threads, their lag and their last commit', () => {
    const metrics = new RuntimeMetrics(new StreamsConfig(base), { state: () => 'RUNNING', threads: () => threads }, noopLogger);
    const thread = metrics.thread('app-StreamThread-1', () => ['0_0', '0_1'], () => ({ active: 2, standby: 0, restoring: 1 }));
    thread.onFetch({ topic: 'in', partition: 0, records: [{ offset: 8 }, { offset: 9 }], highWatermark: 25 });
    thread.onCommit(5, 1);
    const report = metrics.health();
    expect(report).toMatchObject({ status: 'UP', ready: false, threadsAlive: 1, tasksRestoring: ['0_1'], lag: { total: 15 } });
    expect(report.lastCommitAgeMs).toBeGreaterThanOrEqual(0);
    thread.close();
    expect(metrics.health().lag.total).toBe(0);
  });
});
