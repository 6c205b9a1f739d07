import { Headers } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaProtocolRecordProducer } from './kafka-protocol-record-producer.js';
import { createTopic, readTopic, testKafka } from './internal/testing/integration-kafka.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('KafkaProtocolRecordProducer', () => {
  it('sends runtime records and resolves with the last offset written per partition', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 2 });
    const producer = new KafkaProtocolRecordProducer(kafka);
    await producer.connect();
    closers.push(() => producer.disconnect());
    const records = Array.from({ length: 7 }, (_, index) => ({
      topic,
      partition: index % 2,
      key: Buffer.from(`k${index}`),
      value: new TextEncoder().encode(`v${index}`),
      headers: new Headers({ index: String(index) }),
      timestamp: 1_000 + index,
    }));
    expect(await producer.send([])).toEqual([]);
    const acknowledged = await producer.send(records);
    expect([...acknowledged].sort((left, right) => left.partition - right.partition)).toEqual([
      { topic, partition: 0, lastOffset: 3 },
      { topic, partition: 1, lastOffset: 2 },
    ]);
    const messages = await readTopic(kafka, topic, (read) => read.length >= 7);
    expect(messages.map((message) => `${message.partition}:${message.offset}:${message.value?.toString()}:${message.headers?.['index']?.toString()}`).sort()).toEqual([
      '0:0:v0:0', '0:1:v2:2', '0:2:v4:4', '0:3:v6:6', '1:0:v1:1', '1:1:v3:3', '1:2:v5:5',
    ]);
  });
});
