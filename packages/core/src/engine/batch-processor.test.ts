import { describe, expect, it } from 'vitest';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { BatchProcessor, Processor } from '../processor/processor.js';
import { PunctuationType } from '../processor/punctuation.js';
import type { Record } from '../processor/record.js';
import { raw } from './testing/model-fixture.js';
import { startTask } from './testing/task-fixture.js';

describe('BatchProcessor', () => {
  function batcher(batches: string[][], events: string[], punctuate = false): () => BatchProcessor<string, string, string, string> {
    return () => {
      let context: ProcessorContext<string, string>;
      return {
        init: (given) => {
          context = given;
          if (punctuate) context.schedule(100, PunctuationType.STREAM_TIME, (timestamp) => { events.push(`punctuate@${timestamp}`); });
        },
        processBatch: async (records: readonly Record<string, string>[]) => {
          await Promise.resolve();
          batches.push(records.map((record) => record.key));
          events.push(`batch of ${records.length}`);
          context.forwardBatch(records.map((record) => record.withValue(record.value.toUpperCase())));
        },
      };
    };
  }

  it('receives the records of one engine batch together, in order, and forwards them on', async () => {
    const batches: string[][] = [];
    const { task, collector } = await startTask({
      sources: [{ name: 'in', topics: ['input'] }],
      processors: [{ name: 'batch', supplier: batcher(batches, []), parents: ['in'] }],
      sinks: [{ name: 'out', topic: 'output', parents: ['batch'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 0), raw('input', 1, 'b', 'y', 1), raw('input', 2, 'c', 'z', 2)]);
    await task.process();
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(collector.decoded()).toEqual([['output', 'a', 'X', 0], ['output', 'b', 'Y', 1], ['output', 'c', 'Z', 2]]);
  });

  it('is flushed before a punctuation fires', async () => {
    const events: string[] = [];
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'batch', supplier: batcher([], events, true), parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 50), raw('input', 1, 'b', 'y', 60), raw('input', 2, 'c', 'z', 100), raw('input', 3, 'd', 'z', 110)]);
    await task.process();
    expect(events).toEqual(['batch of 1', 'punctuate@50', 'batch of 2', 'punctuate@100', 'batch of 1']);
  });

  it('is flushed by prepareCommit when records are still buffered', async () => {
    const batches: string[][] = [];
    const forwarder = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return { init: (given) => { context = given; }, process: (record) => context.forwardBatch([record, record.withKey(`${record.key}2`)]) };
    };
    const { task } = await startTask({
      sources: [{ name: 'in', topics: ['input'] }],
      processors: [{ name: 'p', supplier: forwarder, parents: ['in'] }, { name: 'batch', supplier: batcher(batches, []), parents: ['p'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'x', 500)]);
    await task.process(1);
    expect(batches).toEqual([['a', 'a2']]);
    await task.prepareCommit();
    expect(batches).toEqual([['a', 'a2']]);
  });
});
