import { describe, expect, it } from 'vitest';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Processor } from '../processor/processor.js';
import { PunctuationType } from '../processor/punctuation.js';
import { composeProcessorWrappers, type ProcessorWrapper } from './processor-wrapper.js';
import { processingHandlers } from './processing-exception-handler.js';
import { raw } from './testing/model-fixture.js';
import { startTask } from './testing/task-fixture.js';

function upper(): Processor<string, string, string, string> {
  let context: ProcessorContext<string, string>;
  return {
    init: (given) => {
      context = given;
      context.schedule(10, PunctuationType.STREAM_TIME, () => undefined);
    },
    process: (record) => {
      if (record.value === 'boom') throw new Error('bad value');
      context.forward(record.withValue(record.value.toUpperCase()));
    },
  };
}

const spec = {
  sources: [{ name: 'in', topics: ['input'] }],
  processors: [{ name: 'upper', supplier: upper, parents: ['in'] }],
  sinks: [{ name: 'out', topic: 'output', parents: ['upper'] }],
};

function auditing(events: string[], label = ''): ProcessorWrapper {
  return {
    wrapNode: (node) => ({
      process: (record, proceed) => {
        events.push(`${label}${node.kind}:${node.nodeName}@${node.taskId} ${String(record.value)}`);
        return proceed(record);
      },
      punctuate: (timestampMs, proceed) => {
        events.push(`${label}punctuate:${node.nodeName}@${timestampMs}`);
        return proceed();
      },
      onError: (record, error) => events.push(`${label}error:${node.nodeName} ${String(record?.value)} ${(error as Error).message}`),
    }),
  };
}

describe('ProcessorWrapper', () => {
  it('sees every record at every node: source, processor and sink', async () => {
    const events: string[] = [];
    const { task, collector } = await startTask(spec, { processorWrapper: auditing(events) });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'a', 1), raw('input', 1, 'k', 'b', 2)]);
    await task.process();
    expect(events.filter((event) => !event.startsWith('punctuate'))).toEqual([
      'source:in@0_0 a', 'processor:upper@0_0 a', 'sink:out@0_0 A',
      'source:in@0_0 b', 'processor:upper@0_0 b', 'sink:out@0_0 B',
    ]);
    expect(collector.sent).toHaveLength(2);
  });

  it('wraps punctuators and reports processor errors before the handler drops the record', async () => {
    const events: string[] = [];
    const { task, collector } = await startTask(spec, { processorWrapper: auditing(events), processingExceptionHandler: processingHandlers.logAndContinue });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'boom', 20), raw('input', 1, 'k', 'ok', 30)]);
    await task.process();
    expect(events).toContain('error:upper boom bad value');
    expect(events).toContain('punctuate:upper@20');
    expect(collector.sent).toHaveLength(1);
    expect(task.metrics.droppedCount).toBe(1);
  });

  it('lets an interceptor change the record it passes on', async () => {
    const stamping: ProcessorWrapper = {
      wrapNode: (node) => (node.kind !== 'sink' ? undefined : { process: (record, proceed) => proceed(record.withHeaders(record.headers.clone().add('seen-by', node.nodeName))) }),
    };
    const { task, collector } = await startTask(spec, { processorWrapper: stamping });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'a', 1)]);
    await task.process();
    expect([...(collector.sent[0]?.headers ?? [])].map((header) => header.key)).toEqual(['seen-by']);
  });

  it('composes wrappers with the first one outermost', async () => {
    const events: string[] = [];
    const { task } = await startTask(spec, { processorWrapper: composeProcessorWrappers(auditing(events, '1.'), undefined, auditing(events, '2.')) });
    task.addRecords('input', 0, [raw('input', 0, 'k', 'a', 1)]);
    await task.process();
    expect(events.slice(0, 4)).toEqual(['1.source:in@0_0 a', '2.source:in@0_0 a', '1.processor:upper@0_0 a', '2.processor:upper@0_0 a']);
  });
});
