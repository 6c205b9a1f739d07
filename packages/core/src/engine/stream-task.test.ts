import { describe, expect, it } from 'vitest';
import { InvalidStateStoreError, ProcessingError, TopologyError } from '../errors/streams-error.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Processor } from '../processor/processor.js';
import type { Record } from '../processor/record.js';
import type { StateStoreContext } from '../state/state-store.js';
import { raw } from './testing/model-fixture.js';
import { startTask } from './testing/task-fixture.js';

type Seen = { key: unknown; value: unknown; timestamp: number; streamTime: number; offset: number | undefined };

function recorder(seen: Seen[]): () => Processor<string, string, string, string> {
  return () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (given) => { context = given; },
      process: (record) => {
        seen.push({ key: record.key, value: record.value, timestamp: record.timestamp, streamTime: context.currentStreamTimeMs(), offset: context.recordMetadata()?.offset });
        context.forward(record);
      },
    };
  };
}

const passThrough = { sources: [{ name: 'in', topics: ['input'] }], sinks: [{ name: 'out', topic: 'output', parents: ['p'] }] };

describe('StreamTask', () => {
  it('names itself <subtopology>_<partition> and runs records through to the sink', async () => {
    const seen: Seen[] = [];
    const { task, collector } = await startTask({ ...passThrough, processors: [{ name: 'p', supplier: recorder(seen), parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'a', '1', 10), raw('input', 1, 'b', '2', 20)]);
    expect(task.process()).toBe(2);
    expect(task.idText).toBe('0_0');
    expect(collector.decoded()).toEqual([['output', 'a', '1', 10], ['output', 'b', '2', 20]]);
    expect(seen.map((record) => record.offset)).toEqual([0, 1]);
  });

  it('picks the head record with the lowest timestamp across its partitions', async () => {
    const seen: Seen[] = [];
    const { task } = await startTask({
      sources: [{ name: 'left', topics: ['l'] }, { name: 'right', topics: ['r'] }],
      processors: [{ name: 'p', supplier: recorder(seen), parents: ['left', 'right'] }],
    });
    task.addRecords('l', 0, [raw('l', 0, 'l0', 'x', 5), raw('l', 1, 'l1', 'x', 30)]);
    task.addRecords('r', 0, [raw('r', 0, 'r0', 'x', 10), raw('r', 1, 'r1', 'x', 20)]);
    task.process();
    expect(seen.map((record) => record.key)).toEqual(['l0', 'r0', 'r1', 'l1']);
  });

  it('keeps stream time at the highest timestamp seen when records arrive out of order', async () => {
    const seen: Seen[] = [];
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: recorder(seen), parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 100), raw('input', 1, 'b', 'x', 50), raw('input', 2, 'c', 'x', 120)]);
    task.process();
    expect(seen.map((record) => [record.timestamp, record.streamTime])).toEqual([[100, 100], [50, 100], [120, 120]]);
    expect(task.streamTimeMs).toBe(120);
  });

  it('processes at most maxRecords and reports what stays buffered', async () => {
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: recorder([]), parents: ['in'] }] });
    task.addRecords('input', 0, [0, 1, 2, 3].map((offset) => raw('input', offset, 'k', 'v', offset)));
    expect(task.process(3)).toBe(3);
    expect(task.bufferedRecordCount('input', 0)).toBe(1);
    expect(task.bufferedRecordCount()).toBe(1);
  });

  it('forwards to one named child only, and names the children when the child is unknown', async () => {
    const router = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return { init: (given) => { context = given; }, process: (record) => context.forward(record, record.value === 'odd' ? 'odd-sink' : record.value) };
    };
    const { task, collector } = await startTask({
      sources: [{ name: 'in', topics: ['input'] }],
      processors: [{ name: 'router', supplier: router, parents: ['in'] }],
      sinks: [{ name: 'odd-sink', topic: 'odd', parents: ['router'] }, { name: 'even-sink', topic: 'even', parents: ['router'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, '1', 'odd', 1), raw('input', 1, '2', 'even-sink', 2), raw('input', 2, '3', 'nowhere', 3)]);
    let failure: unknown;
    try { task.process(); } catch (error) { failure = error; }
    expect(collector.decoded().map(([topic]) => topic)).toEqual(['odd', 'even']);
    expect(failure).toBeInstanceOf(TopologyError);
    expect((failure as Error).message).toContain('Processor "router" forwarded to unknown child "nowhere"; its children are: "odd-sink", "even-sink"');
  });

  it('awaits async processors so records reach the sink in partition order', async () => {
    const delays = [30, 1, 15, 0, 5];
    const slow = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return {
        init: (given) => { context = given; },
        process: async (record) => {
          await new Promise((resolve) => setTimeout(resolve, delays[Number(record.key)]));
          context.forward(record);
        },
      };
    };
    const { task, collector } = await startTask({ ...passThrough, processors: [{ name: 'p', supplier: slow, parents: ['in'] }] });
    task.addRecords('input', 0, delays.map((_, index) => raw('input', index, String(index), 'v', index)));
    const result = task.process();
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(5);
    expect(collector.decoded().map(([, key]) => key)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('keeps per-node order when an async child receives several forwards from one record', async () => {
    const fanOut = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return { init: (given) => { context = given; }, process: (record) => { for (const part of record.value.split(',')) context.forward(record.withValue(part)); } };
    };
    const delayed = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return {
        init: (given) => { context = given; },
        process: async (record: Record<string, string>) => {
          await new Promise((resolve) => setTimeout(resolve, Number(record.value)));
          context.forward(record);
        },
      };
    };
    const { task, collector } = await startTask({
      sources: [{ name: 'in', topics: ['input'] }],
      processors: [{ name: 'split', supplier: fanOut, parents: ['in'] }, { name: 'p', supplier: delayed, parents: ['split'] }],
      sinks: [{ name: 'out', topic: 'output', parents: ['p'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, 'k', '20,1,10', 1)]);
    await task.process();
    expect(collector.decoded().map(([, , value]) => value)).toEqual(['20', '1', '10']);
  });

  it('returns the offsets to commit (last processed + 1) and tracks commit requests', async () => {
    const committer = (): Processor<string, string> => {
      let context: ProcessorContext;
      return { init: (given) => { context = given; }, process: (record) => { if (record.value === 'commit') context.commit(); } };
    };
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: committer, parents: ['in'] }] });
    expect(task.commitNeeded).toBe(false);
    task.addRecords('input', 0, [raw('input', 7, 'a', 'x', 1), raw('input', 8, 'b', 'commit', 2)]);
    task.process();
    expect(task.commitNeeded).toBe(true);
    expect(task.commitRequested).toBe(true);
    expect(task.prepareCommit()).toEqual([{ topic: 'input', partition: 0, offset: 9, partitionTimeMs: 2 }]);
    task.postCommit();
    expect([task.commitNeeded, task.commitRequested]).toEqual([false, false]);
  });

  it('starts partition and stream time at the committed partition time, never going back', async () => {
    const seen: Seen[] = [];
    const { task } = await startTask({ ...passThrough, processors: [{ name: 'p', supplier: recorder(seen), parents: ['in'] }] });
    task.initializePartitionTime('input', 0, 500);
    task.addRecords('input', 0, [raw('input', 7, 'a', '1', 100)]);
    task.process();
    expect(seen.map((record) => record.streamTime)).toEqual([500]);
    expect(task.prepareCommit()).toEqual([{ topic: 'input', partition: 0, offset: 8, partitionTimeMs: 500 }]);
  });

  it('needs a commit when records were only dropped, and not after postCommit', async () => {
    const { task } = await startTask({ ...passThrough, processors: [{ name: 'p', supplier: recorder([]), parents: ['in'] }] });
    expect(task.commitNeeded).toBe(false);
    task.addRecords('input', 0, [raw('input', 3, 'a', '1', -5)]);
    expect(task.process()).toBe(0);
    expect(task.commitNeeded).toBe(true);
    expect(task.consumedOffsets().map((offset) => offset.offset)).toEqual([4]);
    task.postCommit();
    expect(task.commitNeeded).toBe(false);
  });

  it('refuses a store the processor is not connected to, naming the store and the fix', async () => {
    const snoop = (): Processor<string, string> => {
      let context: ProcessorContext;
      return { init: (given) => { context = given; }, process: () => { context.getStateStore('counts'); } };
    };
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: snoop, parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 1)]);
    let failure: unknown;
    try { task.process(); } catch (error) { failure = error; }
    expect(failure).toBeInstanceOf(ProcessingError);
    expect((failure as ProcessingError).cause).toBeInstanceOf(InvalidStateStoreError);
    expect(((failure as ProcessingError).cause as Error).message).toContain('Processor "p" cannot use state store "counts"');
  });

  it('rejects use after close, and close is idempotent', async () => {
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: recorder([]), parents: ['in'] }] });
    task.close();
    task.close();
    expect(task.state).toBe('CLOSED');
    expect(() => task.process()).toThrow('Task 0_0 cannot process records: it is CLOSED');
  });
});

describe('StreamTask store context', () => {
  it('gives stores the timestamp of the record being processed, and stream time otherwise', async () => {
    const seenByStore: number[] = [];
    let storeContext: StateStoreContext | undefined;
    const probe = {
      name: 'probe', persistent: false, isOpen: () => true,
      init: (context: StateStoreContext) => { storeContext = context; },
      flush: () => undefined, close: () => undefined,
    };
    const builder = {
      name: 'probe', cachingEnabled: false, loggingEnabled: false, logConfig: {}, backend: undefined as never,
      withCachingEnabled() { return this; }, withCachingDisabled() { return this; },
      withLoggingEnabled() { return this; }, withLoggingDisabled() { return this; },
      build: () => probe,
    };
    const writer = (): Processor<string, string> => ({
      process: () => { seenByStore.push(storeContext?.currentRecordTimestampMs?.() ?? Number.NaN); },
    });
    const { task } = await startTask({
      sources: [{ name: 'in', topics: ['input'] }],
      processors: [{ name: 'p', supplier: writer, parents: ['in'] }],
      stores: [{ builder, processors: ['p'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 100), raw('input', 1, 'b', 'x', 40)]);
    task.process();
    expect(seenByStore).toEqual([100, 40]);
    expect(storeContext?.currentRecordTimestampMs?.()).toBe(100);
  });
});
