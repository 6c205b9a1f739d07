import { describe, expect, it } from 'vitest';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Processor } from '../processor/processor.js';
import { PunctuationType } from '../processor/punctuation.js';
import { ManualClock } from './clock.js';
import type { ProcessingExceptionHandler } from './processing-exception-handler.js';
import { PunctuationQueue } from './punctuation-queue.js';
import { raw } from './testing/model-fixture.js';
import { startTask } from './testing/task-fixture.js';

function scheduler(name: string, fired: string[], intervalMs: number, type = PunctuationType.STREAM_TIME): () => Processor<string, string> {
  return () => {
    let context: ProcessorContext;
    return {
      init: (given) => {
        context = given;
        context.schedule(intervalMs, type, (timestamp) => {
          fired.push(`${name}@${timestamp} meta=${String(context.recordMetadata())}`);
        });
      },
      process: () => undefined,
    };
  };
}

describe('PunctuationQueue', () => {
  it('fires with the current time and skips missed intervals instead of firing twice', () => {
    const queue = new PunctuationQueue();
    const fired: number[] = [];
    queue.schedule('p', 0, 10, (timestamp) => { fired.push(timestamp); });
    queue.mayPunctuate(5, (schedule, now) => schedule.punctuator(now));
    queue.mayPunctuate(9, (schedule, now) => schedule.punctuator(now));
    queue.mayPunctuate(47, (schedule, now) => schedule.punctuator(now));
    queue.mayPunctuate(49, (schedule, now) => schedule.punctuator(now));
    queue.mayPunctuate(50, (schedule, now) => schedule.punctuator(now));
    expect(fired).toEqual([5, 47, 50]);
  });

  it('stops firing a cancelled schedule', () => {
    const queue = new PunctuationQueue();
    const fired: number[] = [];
    const handle = queue.schedule('p', 0, 10, (timestamp) => { fired.push(timestamp); });
    queue.mayPunctuate(0, (schedule, now) => schedule.punctuator(now));
    handle.cancel();
    queue.mayPunctuate(100, (schedule, now) => schedule.punctuator(now));
    expect(fired).toEqual([0]);
    expect(queue.size).toBe(0);
  });
});

describe('StreamTask punctuation', () => {
  const twoSchedulers = (fired: string[], type = PunctuationType.STREAM_TIME) => ({
    sources: [{ name: 'in', topics: ['input'] }],
    processors: [
      { name: 'second', supplier: scheduler('B', fired, 10, type), parents: ['in'] },
      { name: 'first', supplier: scheduler('A', fired, 10, type), parents: ['second'] },
    ],
  });

  it('fires stream-time punctuators aligned to the interval, in scheduling order, without record metadata', async () => {
    const fired: string[] = [];
    const { task } = await startTask(twoSchedulers(fired));
    task.addRecords('input', 0, [raw('input', 0, 'k', 'v', 3)]);
    task.process();
    expect(fired).toEqual(['B@3 meta=undefined', 'A@3 meta=undefined']);
    fired.length = 0;
    task.addRecords('input', 0, [raw('input', 1, 'k', 'v', 9), raw('input', 2, 'k', 'v', 4), raw('input', 3, 'k', 'v', 10), raw('input', 4, 'k', 'v', 45)]);
    task.process();
    expect(fired).toEqual(['B@10 meta=undefined', 'A@10 meta=undefined', 'B@45 meta=undefined', 'A@45 meta=undefined']);
  });

  it('does not punctuate on stream time before the first record', async () => {
    const fired: string[] = [];
    const { task } = await startTask(twoSchedulers(fired));
    expect(task.process()).toBe(0);
    expect(fired).toEqual([]);
  });

  it('fires wall-clock punctuators from the injected clock, one interval after scheduling', async () => {
    const fired: string[] = [];
    const clock = new ManualClock(1_000);
    const { task } = await startTask(twoSchedulers(fired, PunctuationType.WALL_CLOCK_TIME), { clock });
    clock.advance(9);
    expect(task.maybePunctuateWallClock()).toBe(false);
    clock.advance(1);
    expect(task.maybePunctuateWallClock()).toBe(true);
    clock.advance(35);
    task.maybePunctuateWallClock();
    expect(fired).toEqual(['B@1010 meta=undefined', 'A@1010 meta=undefined', 'B@1045 meta=undefined', 'A@1045 meta=undefined']);
    expect(task.commitNeeded).toBe(true);
  });

  it('awaits an async punctuator before going on', async () => {
    const order: string[] = [];
    const asyncScheduler = (): Processor<string, string> => ({
      init: (context) => {
        context.schedule(10, PunctuationType.STREAM_TIME, async (timestamp) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(`punctuate@${timestamp}`);
        });
      },
      process: (record) => { order.push(`process@${record.timestamp}`); },
    });
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: asyncScheduler, parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'v', 0), raw('input', 1, 'k', 'v', 10)]);
    await task.process();
    expect(order).toEqual(['process@0', 'punctuate@0', 'process@10', 'punctuate@10']);
  });

  it('fails the task with the processor name when a punctuator throws', async () => {
    const broken = (): Processor<string, string> => ({
      init: (context) => { context.schedule(5, PunctuationType.STREAM_TIME, () => { throw new Error('boom'); }); },
      process: () => undefined,
    });
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'ticker', supplier: broken, parents: ['in'] }] });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'v', 0)]);
    expect(() => task.process()).toThrow('A punctuator of processor "ticker" in task 0_0 failed at 0: boom');
  });

  // Kafka Streams 4.x StreamTask.punctuate (KIP-1033): a punctuator's error goes to the
  // processing exception handler with a null record; CONTINUE skips the rest of that punctuation
  // and counts a dropped record, and later punctuations still run.
  it('routes a punctuator error through the processing exception handler, which may continue', async () => {
    const fired: number[] = [];
    const seen: { node: string; record: unknown; metadata: unknown }[] = [];
    const flaky = (): Processor<string, string> => ({
      init: (context) => {
        context.schedule(10, PunctuationType.STREAM_TIME, (timestamp) => {
          if (timestamp === 10) throw new Error('flaky');
          fired.push(timestamp);
        });
      },
      process: () => undefined,
    });
    const handler: ProcessingExceptionHandler = {
      handle: (context, record) => {
        seen.push({ node: context.processorNodeName, record, metadata: context.recordMetadata });
        return 'CONTINUE';
      },
    };
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'ticker', supplier: flaky, parents: ['in'] }] }, { processingExceptionHandler: handler });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'v', 0), raw('input', 1, 'k', 'v', 10), raw('input', 2, 'k', 'v', 20)]);
    expect(task.process()).toBe(3);
    expect(fired).toEqual([0, 20]);
    expect(seen).toEqual([{ node: 'ticker', record: null, metadata: undefined }]);
    expect(task.metrics.droppedRecords().get('processing-error')).toBe(1);
  });

  it('fails the task when the handler says FAIL for a punctuator error', async () => {
    const broken = (): Processor<string, string> => ({
      init: (context) => { context.schedule(5, PunctuationType.STREAM_TIME, () => { throw new Error('boom'); }); },
      process: () => undefined,
    });
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'ticker', supplier: broken, parents: ['in'] }] }, { processingExceptionHandler: { handle: () => 'FAIL' } });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'v', 0)]);
    expect(() => task.process()).toThrow(/A punctuator of processor "ticker" in task 0_0 failed at 0: boom/);
  });

  it('rejects an interval below 1 ms', async () => {
    const invalid = (): Processor<string, string> => ({ init: (context) => { context.schedule(0, PunctuationType.STREAM_TIME, () => undefined); }, process: () => undefined });
    await expect(startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'p', supplier: invalid, parents: ['in'] }] }))
      .rejects.toThrow('the interval must be a whole number >= 1');
  });
});
