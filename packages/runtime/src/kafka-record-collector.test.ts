import { Headers, StreamsError } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from './default-partitioner.js';
import { noopLogger, type OutgoingRecord } from './internal/engine-ports.js';
import type { AcknowledgedOffset, ProducerRecord } from './kafka/kafka-client.js';
import { KafkaRecordCollector } from './kafka-record-collector.js';
import { productionHandlers, type ProductionExceptionHandler } from './production-exception-handler.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function outgoing(overrides: Partial<OutgoingRecord> = {}): OutgoingRecord {
  return { topic: 'out', key: bytes('key'), value: bytes('value'), headers: new Headers(), timestamp: 5, producerName: 'sink', ...overrides };
}

class FakeProducer {
  readonly requests: ProducerRecord[][] = [];
  failWith: Error | undefined;
  release: (() => void) | undefined;
  hold = false;
  readonly #logEnds = new Map<string, number>();

  async send(records: readonly ProducerRecord[]): Promise<AcknowledgedOffset[]> {
    this.requests.push([...records]);
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.failWith) throw this.failWith;
    const acknowledged = new Map<string, AcknowledgedOffset>();
    for (const { topic, partition } of records) {
      const key = `${topic}-${partition}`;
      const offset = this.#logEnds.get(key) ?? 0;
      this.#logEnds.set(key, offset + 1);
      acknowledged.set(key, { topic, partition, lastOffset: offset });
    }
    return [...acknowledged.values()];
  }
}

function collectorWith(options: { producer?: FakeProducer; handler?: ProductionExceptionHandler; counts?: { [topic: string]: number }; maxBatchRecords?: number } = {}) {
  const producer = options.producer ?? new FakeProducer();
  const counts = options.counts ?? { out: 6 };
  const collector = new KafkaRecordCollector({
    producer,
    partitionCounts: { load: async (topics) => new Map([...topics].filter((topic) => topic in counts).map((topic) => [topic, counts[topic]!])) },
    productionExceptionHandler: options.handler ?? productionHandlers.logAndFail,
    taskId: '0_1',
    logger: noopLogger,
    ...(options.maxBatchRecords === undefined ? {} : { maxBatchRecords: options.maxBatchRecords }),
  });
  return { producer, collector };
}

describe('KafkaRecordCollector', () => {
  it('reports the last offset the broker acknowledged per partition, across requests', async () => {
    const { collector } = collectorWith({ counts: { out: 6, 'app-store-changelog': 2 }, maxBatchRecords: 3 });
    expect(collector.acknowledgedOffset({ topic: 'app-store-changelog', partition: 1 })).toBeUndefined();
    for (let index = 0; index < 5; index++) collector.send(outgoing({ topic: 'app-store-changelog', partition: 1 }));
    collector.send(outgoing({ partition: 0 }));
    await collector.flush();
    expect(collector.acknowledgedOffset({ topic: 'app-store-changelog', partition: 1 })).toBe(4);
    expect(collector.acknowledgedOffset({ topic: 'out', partition: 0 })).toBe(0);
  });

  it('buffers sends and delivers them in order in one request at flush', async () => {
    const { producer, collector } = collectorWith();
    for (let index = 0; index < 5; index++) collector.send(outgoing({ value: bytes(`v${index}`), partition: 0 }));
    expect(producer.requests).toHaveLength(0);
    await collector.flush();
    expect(producer.requests).toHaveLength(1);
    expect(producer.requests[0]!.map((record) => new TextDecoder().decode(record.value!))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(collector.sentCount).toBe(5);
  });

  it('partitions keyed records like Java\'s producer when no partition is given', async () => {
    const { producer, collector } = collectorWith();
    collector.send(outgoing({ key: bytes('21') }));
    await collector.flush();
    expect(producer.requests[0]![0]!.partition).toBe(partitionForKey(bytes('21'), 6));
  });

  it('uses the sink\'s partition chooser and falls back to the default when it returns undefined', async () => {
    const { producer, collector } = collectorWith();
    collector.send(outgoing({ choosePartition: (count) => count - 1 }));
    collector.send(outgoing({ key: bytes('21'), choosePartition: () => undefined }));
    await collector.flush();
    expect(producer.requests[0]!.map((record) => record.partition)).toEqual([5, partitionForKey(bytes('21'), 6)]);
  });

  it('does not resolve flush before the producer acknowledges', async () => {
    const producer = new FakeProducer();
    producer.hold = true;
    const { collector } = collectorWith({ producer });
    collector.send(outgoing({ partition: 1 }));
    let flushed = false;
    const flushing = collector.flush().then(() => (flushed = true));
    while (producer.release === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(flushed).toBe(false);
    collector.send(outgoing({ partition: 2 }));
    producer.hold = false;
    producer.release?.();
    await flushing;
    expect(flushed).toBe(true);
    expect(producer.requests.map((request) => request.map((record) => record.partition))).toEqual([[1], [2]]);
  });

  it('splits large buffers into requests of at most maxBatchRecords', async () => {
    const { producer, collector } = collectorWith({ maxBatchRecords: 2 });
    for (let index = 0; index < 5; index++) collector.send(outgoing({ partition: 0 }));
    await collector.flush();
    expect(producer.requests.map((request) => request.length)).toEqual([2, 2, 1]);
  });

  it('stops sending at once when a send fails and the handler says FAIL, and keeps reporting the error', async () => {
    const producer = new FakeProducer();
    producer.failWith = new Error('broker down');
    const { collector } = collectorWith({ producer, maxBatchRecords: 1 });
    collector.send(outgoing({ partition: 0 }));
    collector.send(outgoing({ partition: 0, value: bytes('queued behind the failure') }));
    await expect(collector.flush()).rejects.toThrow(/to topic "out" failed: broker down/);
    expect(collector.fatalError?.message).toMatch(/broker down/);
    producer.failWith = undefined;
    collector.send(outgoing({ partition: 0, value: bytes('after the failure') }));
    await expect(collector.flush()).rejects.toThrow(/broker down/);
    expect(producer.requests).toHaveLength(1);
    expect(collector.pendingCount).toBe(0);
  });

  it('keeps acknowledged offsets per task incarnation', async () => {
    const { collector } = collectorWith({ counts: { 'app-store-changelog': 2 } });
    const first = collector.forTask('0_1');
    first.send(outgoing({ topic: 'app-store-changelog', partition: 1 }));
    await collector.flush();
    const second = collector.forTask('0_1');
    expect(second.acknowledgedOffset({ topic: 'app-store-changelog', partition: 1 })).toBeUndefined();
    first.discard();
    first.send(outgoing({ topic: 'app-store-changelog', partition: 1 }));
    second.send(outgoing({ topic: 'app-store-changelog', partition: 1 }));
    await collector.flush();
    expect(first.acknowledgedOffset({ topic: 'app-store-changelog', partition: 1 })).toBe(0);
    expect(second.acknowledgedOffset({ topic: 'app-store-changelog', partition: 1 })).toBe(1);
  });

  it('drops and counts records when the handler says CONTINUE', async () => {
    const producer = new FakeProducer();
    producer.failWith = new Error('record too large');
    const seen: unknown[] = [];
    const handler: ProductionExceptionHandler = { handle: (_context, _record, error) => (seen.push(error), 'CONTINUE') };
    const { collector } = collectorWith({ producer, handler });
    collector.send(outgoing({ partition: 0 }));
    collector.send(outgoing({ partition: 1 }));
    await collector.flush();
    expect(collector.droppedCount).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('reports a missing output topic to the handler, naming the topic and the fix', async () => {
    const { producer, collector } = collectorWith({ counts: {} });
    collector.send(outgoing({ topic: 'missing' }));
    const error = await collector.flush().catch((caught: unknown) => caught);
    expect(StreamsError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Topic "missing" does not exist.*Create the topic first/);
    expect(producer.requests).toHaveLength(0);
  });

  it('rejects a partition chooser that picks a partition the topic does not have', async () => {
    const { collector } = collectorWith();
    collector.send(outgoing({ choosePartition: () => 9 }));
    await expect(collector.flush()).rejects.toThrow(/chose partition 9 of topic "out", which has 6 partitions/);
  });

  it('names the sending task in handler contexts and errors when used through forTask', async () => {
    const producer = new FakeProducer();
    producer.failWith = new Error('down');
    const seen: string[] = [];
    const handler: ProductionExceptionHandler = { handle: (context) => (seen.push(context.taskId), 'FAIL') };
    const { collector } = collectorWith({ producer, handler });
    collector.forTask('1_4').send(outgoing({ partition: 0 }));
    const error = await collector.flush().catch((caught: unknown) => caught);
    expect(seen).toEqual(['1_4']);
    expect((error as StreamsError).taskId).toBe('1_4');
  });

  it('treats a throwing handler as FAIL', async () => {
    const producer = new FakeProducer();
    producer.failWith = new Error('boom');
    const handler: ProductionExceptionHandler = {
      handle: () => {
        throw new Error('handler bug');
      },
    };
    const { collector } = collectorWith({ producer, handler });
    collector.send(outgoing({ partition: 0 }));
    await expect(collector.flush()).rejects.toThrow(/handler bug/);
  });
});
