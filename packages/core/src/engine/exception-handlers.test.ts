import { describe, expect, it } from 'vitest';
import { ProcessingError, SerializationError } from '../errors/streams-error.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Processor } from '../processor/processor.js';
import type { Deserializer } from '../serde/serde.js';
import { DEAD_LETTER_HEADERS, deserializationHandlers, type RawRecord } from './deserialization-exception-handler.js';
import { processingHandlers } from './processing-exception-handler.js';
import { buildModel, CapturingCollector, raw, stringSerde, type FixtureSpec } from './testing/model-fixture.js';
import { startTask } from './testing/task-fixture.js';
import { StreamTask } from './stream-task.js';
import type { TaskConfig } from './task-config.js';

const decoder = new TextDecoder();
const strictNumber: Deserializer<number> = {
  deserialize: (_topic, data) => {
    const text = data === null ? '' : decoder.decode(data);
    if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a number`);
    return Number(text);
  },
};

/** A pass-through topology whose source parses values as numbers. */
async function numberTask(config: Partial<TaskConfig>) {
  const spec: FixtureSpec = {
    sources: [{ name: 'in', topics: ['input'] }],
    processors: [{ name: 'p', supplier: forwardAll, parents: ['in'] }],
    sinks: [{ name: 'out', topic: 'output', parents: ['p'] }],
  };
  const model = buildModel(spec);
  const source = model.nodes.get('in');
  if (source?.kind !== 'source') throw new Error('fixture');
  (model.nodes as Map<string, unknown>).set('in', { ...source, valueDeserializer: strictNumber });
  (model.nodes as Map<string, unknown>).set('out', { ...model.nodes.get('out'), valueSerializer: { serialize: (_topic: string, data: number) => stringSerde.serialize('', String(data)) } });
  const collector = new CapturingCollector();
  const task = new StreamTask({ taskId: { subtopology: 0, partition: 0 }, model, config: { applicationId: 'app', ...config }, collector });
  await task.initialize();
  return { task, collector };
}

function forwardAll(): Processor<unknown, unknown, unknown, unknown> {
  let context: ProcessorContext;
  return { init: (given) => { context = given; }, process: (record) => context.forward(record) };
}

const input = (): RawRecord[] => [raw('input', 0, 'a', '1', 1), raw('input', 1, 'b', 'oops', 2), raw('input', 2, 'c', '3', 3)];

describe('deserialization exception handlers', () => {
  it('fail the task by default with the topic, partition and offset of the bad record', async () => {
    const { task, collector } = await numberTask({});
    task.addRecords('input', 0, input());
    expect(() => task.process()).toThrow(SerializationError);
    expect(() => task.process()).toThrow('cannot deserialize the record at topic "input" partition 0 offset 1: "oops" is not a number');
    expect(collector.decoded().map(([, key]) => key)).toEqual(['a']);
  });

  it('drop and count the bad record with logAndContinue, still committing its offset', async () => {
    const { task, collector } = await numberTask({ deserializationExceptionHandler: deserializationHandlers.logAndContinue });
    task.addRecords('input', 0, input());
    expect(task.process()).toBe(2);
    expect(collector.decoded().map(([, key]) => key)).toEqual(['a', 'c']);
    expect(task.metrics.droppedRecords().get('deserialization-error')).toBe(1);
    expect(task.consumedOffsets()).toEqual([{ topic: 'input', partition: 0, offset: 3, partitionTimeMs: 3 }]);
  });

  it('send the raw record with origin and error headers to a dead-letter topic', async () => {
    const { task, collector } = await numberTask({ deserializationExceptionHandler: deserializationHandlers.deadLetterQueue('input-dlq') });
    task.addRecords('input', 0, input());
    task.process();
    const dead = collector.sent.find((record) => record.topic === 'input-dlq');
    expect(dead && decoder.decode(dead.value as Uint8Array)).toBe('oops');
    const header = (key: string) => decoder.decode(dead?.headers.lastHeader(key)?.value ?? new Uint8Array());
    expect([header(DEAD_LETTER_HEADERS.topic), header(DEAD_LETTER_HEADERS.partition), header(DEAD_LETTER_HEADERS.offset)]).toEqual(['input', '0', '1']);
    expect(header(DEAD_LETTER_HEADERS.message)).toBe('"oops" is not a number');
  });

  it('accept a custom handler that decides per record', async () => {
    const seen: number[] = [];
    const { task } = await numberTask({ deserializationExceptionHandler: { handle: (_context, record) => { seen.push(record.offset); return 'CONTINUE'; } } });
    task.addRecords('input', 0, input());
    task.process();
    expect(seen).toEqual([1]);
  });
});

describe('timestamp extraction', () => {
  it('drops and counts records whose extracted timestamp is negative, without processing them', async () => {
    const processed: string[] = [];
    const { task } = await startTask({
      sources: [{ name: 'in', topics: ['input'], timestampExtractor: { extract: (record) => (record.value === 'bad' ? -1 : record.timestamp) } }],
      processors: [{ name: 'p', supplier: () => ({ process: (record: { key: string }) => { processed.push(record.key); } }), parents: ['in'] }],
    });
    task.addRecords('input', 0, [raw('input', 0, 'a', 'ok', 1), raw('input', 1, 'b', 'bad', 2), raw('input', 2, 'c', 'ok', 3)]);
    task.process();
    expect(processed).toEqual(['a', 'c']);
    expect(task.metrics.droppedRecords().get('negative-timestamp')).toBe(1);
    expect(task.streamTimeMs).toBe(3);
  });
});

describe('processing exception handlers', () => {
  const failing = (): Processor<string, string, string, string> => {
    let context: ProcessorContext<string, string>;
    return {
      init: (given) => { context = given; },
      process: (record) => {
        if (record.value === 'poison') throw new Error('cannot handle poison');
        context.forward(record);
      },
    };
  };
  const spec: FixtureSpec = {
    sources: [{ name: 'in', topics: ['input'] }],
    processors: [{ name: 'guard', supplier: failing, parents: ['in'] }],
    sinks: [{ name: 'out', topic: 'output', parents: ['guard'] }],
  };
  const records = () => [raw('input', 0, 'a', 'ok', 1), raw('input', 1, 'b', 'poison', 2), raw('input', 2, 'c', 'ok', 3)];

  it('fail the task by default, naming the processor, task and record', async () => {
    const { task } = await startTask(spec);
    task.addRecords('input', 0, records());
    expect(() => task.process()).toThrow(ProcessingError);
    expect(() => task.process()).not.toThrow();
  });

  it('names the failing processor and record in the error', async () => {
    const { task } = await startTask(spec);
    task.addRecords('input', 0, records());
    expect(() => task.process()).toThrow('Processor "guard" in task 0_0 failed on the record at topic "input" partition 0 offset 1: cannot handle poison');
  });

  it('drop the record at the failing node with logAndContinue and count it', async () => {
    const { task, collector } = await startTask(spec, { processingExceptionHandler: processingHandlers.logAndContinue });
    task.addRecords('input', 0, records());
    task.process();
    expect(collector.decoded().map(([, key]) => key)).toEqual(['a', 'c']);
    expect(task.metrics.droppedRecords().get('processing-error')).toBe(1);
    expect(task.metrics.droppedCount).toBe(1);
  });

  it('apply the handler to rejections of async processors too', async () => {
    const asyncFailing = (): Processor<string, string> => ({ process: async (record) => { if (record.value === 'poison') throw new Error('late failure'); } });
    const { task } = await startTask({ sources: [{ name: 'in', topics: ['input'] }], processors: [{ name: 'async', supplier: asyncFailing, parents: ['in'] }] }, { processingExceptionHandler: processingHandlers.logAndContinue });
    task.addRecords('input', 0, records());
    await expect(task.process()).resolves.toBe(3);
    expect(task.metrics.droppedRecords().get('processing-error')).toBe(1);
  });
});
