import { Serdes, Topology } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { noopLogger, type OutgoingRecord } from './internal/engine-ports.js';
import { TaskManager } from './task-manager.js';
import { Headers } from '@kstreams/core';

function manager() {
  const sent: OutgoingRecord[] = [];
  const model = Topology.untyped()
    .addSource('left', { topics: ['left'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addSource('right', { topics: ['right'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addSink('joined', 'joined-out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'left', 'right')
    .addSource('other', { pattern: /^other-.*/, keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addSink('other-sink', 'other-out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'other')
    .build();
  const taskManager = new TaskManager({ model, taskConfig: { applicationId: 'app' }, collector: { send: (record) => void sent.push(record), flush: () => undefined }, logger: noopLogger });
  return { taskManager, sent };
}

const record = (topic: string, partition: number, offset: number) => ({ topic, partition, offset, key: Buffer.from('k'), value: Buffer.from(`${topic}-${offset}`), timestamp: offset, headers: new Headers() });

describe('TaskManager', () => {
  it('makes one task per partition index of a sub-topology, holding all its source partitions', () => {
    const { taskManager } = manager();
    const { result } = taskManager.assign([
      { topic: 'left', partition: 0 },
      { topic: 'right', partition: 0 },
      { topic: 'left', partition: 1 },
      { topic: 'right', partition: 1 },
      { topic: 'other-a', partition: 0 },
    ]);
    expect(result.created).toEqual(['0_0', '0_1', '1_0']);
    expect(taskManager.metadata().find((task) => task.taskId === '0_1')?.partitions).toEqual([
      { topic: 'left', partition: 1 },
      { topic: 'right', partition: 1 },
    ]);
  });

  it('keeps tasks that stay, detaches the rest, and routes records only to owned partitions', async () => {
    const { taskManager, sent } = manager();
    taskManager.assign([{ topic: 'left', partition: 0 }, { topic: 'left', partition: 1 }]);
    await taskManager.initializeNewTasks();
    const { result, detached } = taskManager.assign([{ topic: 'left', partition: 1 }]);
    expect(result).toEqual({ created: [], closed: ['0_0'], kept: ['0_1'] });
    expect(detached.map((task) => task.idText)).toEqual(['0_0']);
    expect(taskManager.addRecords('left', 0, [record('left', 0, 0)])).toBe(false);
    expect(taskManager.addRecords('left', 1, [record('left', 1, 0), record('left', 1, 1)])).toBe(true);
    expect(await taskManager.process(10)).toBe(2);
    expect(sent.map((out) => Buffer.from(out.value!).toString())).toEqual(['left-0', 'left-1']);
    const { offsets } = await taskManager.prepareCommit();
    expect(offsets).toEqual([{ topic: 'left', partition: 1, offset: 2 }]);
  });

  it('prepares each new task after initialising it and before processing', async () => {
    const sent: OutgoingRecord[] = [];
    const prepared: string[] = [];
    const model = Topology.untyped()
      .addSource('left', { topics: ['left'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'left')
      .build();
    const taskManager = new TaskManager({
      model,
      taskConfig: { applicationId: 'app' },
      collector: { send: (out) => void sent.push(out), flush: () => undefined },
      logger: noopLogger,
      prepareTask: async (task) => void prepared.push(`${task.idText}:${task.state}`),
    });
    taskManager.assign([{ topic: 'left', partition: 3 }]);
    await taskManager.initializeNewTasks();
    expect(prepared).toEqual(['0_3:RUNNING']);
  });

  it('does not process tasks that are not initialised yet', async () => {
    const { taskManager } = manager();
    taskManager.assign([{ topic: 'left', partition: 0 }]);
    taskManager.addRecords('left', 0, [record('left', 0, 0)]);
    expect(await taskManager.process(10)).toBe(0);
    await taskManager.initializeNewTasks();
    expect(await taskManager.process(10)).toBe(1);
  });
});

describe('TaskManager with maxTaskIdleMs', () => {
  it('holds back a two-partition task until both partitions have data', async () => {
    const sent: OutgoingRecord[] = [];
    const model = Topology.untyped()
      .addSource('left', { topics: ['left'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSource('right', { topics: ['right'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'left', 'right')
      .build();
    const taskManager = new TaskManager({ model, taskConfig: { applicationId: 'app' }, collector: { send: (out) => void sent.push(out), flush: () => undefined }, logger: noopLogger, maxTaskIdleMs: 60_000 });
    taskManager.assign([{ topic: 'left', partition: 0 }, { topic: 'right', partition: 0 }]);
    await taskManager.initializeNewTasks();
    taskManager.addRecords('left', 0, [record('left', 0, 5), record('left', 0, 6)]);
    expect(await taskManager.process(10)).toBe(0);
    taskManager.addRecords('right', 0, [record('right', 0, 1)]);
    expect(await taskManager.process(10)).toBe(1);
    expect(sent.map((out) => Buffer.from(out.value!).toString())).toEqual(['right-1']);
  });
});

describe('TaskManager.process budget', () => {
  it('stops after the time budget and processes in chunks', async () => {
    const { taskManager } = manager();
    taskManager.assign([{ topic: 'left', partition: 0 }]);
    await taskManager.initializeNewTasks();
    taskManager.addRecords('left', 0, Array.from({ length: 50 }, (_, offset) => record('left', 0, offset)));
    expect(await taskManager.process(1_000, { timeBudgetMs: 0, chunkRecords: 10 })).toBe(0);
    expect(await taskManager.process(25, { chunkRecords: 10 })).toBe(25);
    expect(taskManager.bufferedRecordCount({ topic: 'left', partition: 0 })).toBe(25);
  });
});
