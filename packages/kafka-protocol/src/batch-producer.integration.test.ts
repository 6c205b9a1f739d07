import { Headers } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchProducer, type OutgoingRecord } from './batch-producer.js';
import { KafkaProtocolError } from './kafka-protocol-error.js';
import { kafkajsProducerCluster, type ProducerCluster } from './internal/kafkajs-producer-cluster.js';
import { createTopic, readTopic, testKafka } from './internal/testing/integration-kafka.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function record(topic: string, partition: number, index: number, extra: Partial<OutgoingRecord> = {}): OutgoingRecord {
  return { topic, partition, key: Buffer.from(`key-${index}`), value: Buffer.from(`value-${index}`), headers: [], timestamp: 1_700_000_000_000 + index, ...extra };
}

async function connected(producer: BatchProducer): Promise<BatchProducer> {
  await producer.connect();
  closers.push(() => producer.disconnect());
  return producer;
}

describe('BatchProducer (idempotent)', () => {
  it('writes keys, values, nulls, headers and timestamps that a kafkajs consumer reads back in order per partition', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 3 });
    const producer = await connected(new BatchProducer(kafka));
    const first = producer.send([
      record(topic, 0, 0, { headers: new Headers([{ key: 'trace', value: Buffer.from('a') }, { key: 'trace', value: Buffer.from('b') }]) }),
      record(topic, 1, 1, { key: null }),
      record(topic, 0, 2, { value: null, timestamp: 42 }),
    ]);
    const second = producer.send([record(topic, 0, 3), record(topic, 2, 4, { headers: [{ key: 'empty', value: null }] })]);
    const [firstAcks, secondAcks] = await Promise.all([first, second]);
    expect(firstAcks).toEqual(expect.arrayContaining([{ topic, partition: 0, lastOffset: 1 }, { topic, partition: 1, lastOffset: 0 }]));
    expect(secondAcks).toEqual(expect.arrayContaining([{ topic, partition: 0, lastOffset: 2 }, { topic, partition: 2, lastOffset: 0 }]));

    const messages = await readTopic(kafka, topic, (read) => read.length >= 5);
    const partition0 = messages.filter((message) => message.partition === 0);
    expect(partition0.map((message) => [message.offset, message.key?.toString(), message.value?.toString() ?? null, message.timestamp])).toEqual([
      ['0', 'key-0', 'value-0', '1700000000000'],
      ['1', 'key-2', null, '42'],
      ['2', 'key-3', 'value-3', '1700000000003'],
    ]);
    expect(partition0[0]?.headers).toEqual({ trace: [Buffer.from('a'), Buffer.from('b')] });
    const partition1 = messages.find((message) => message.partition === 1);
    expect([partition1?.key, partition1?.value?.toString()]).toEqual([null, 'value-1']);
    expect(messages.find((message) => message.partition === 2)?.headers).toEqual({ empty: null });
  });

  it('keeps per-partition order with many small batches in flight', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 4 });
    const producer = await connected(new BatchProducer(kafka, { batchSizeBytes: 2048, lingerMs: 0 }));
    const sends: Promise<unknown>[] = [];
    for (let call = 0; call < 50; call++) {
      sends.push(producer.send(Array.from({ length: 400 }, (_, index) => record(topic, (call * 400 + index) % 4, call * 400 + index))));
    }
    await Promise.all(sends);
    const messages = await readTopic(kafka, topic, (read) => read.length >= 20_000);
    expect(messages).toHaveLength(20_000);
    for (let partition = 0; partition < 4; partition++) {
      const indexes = messages.filter((message) => message.partition === partition).map((message) => Number(message.key?.toString().slice(4)));
      expect(indexes).toEqual(Array.from({ length: 5000 }, (_, position) => position * 4 + partition));
    }
  });

  it('writes each record once when a response is lost and the request is retried', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 2 });
    const base = kafkajsProducerCluster(kafka);
    let dropped = 0;
    const losingFirstResponses: ProducerCluster = {
      connect: () => base.connect(),
      disconnect: () => base.disconnect(),
      ensureTopics: (topics) => base.ensureTopics(topics),
      refreshMetadata: () => base.refreshMetadata(),
      leaderOf: (name, partition) => base.leaderOf(name, partition),
      coordinator: (key, type) => base.coordinator(key, type),
      anyBroker: () => base.anyBroker(),
      async send(nodeId, request) {
        const response = await base.send(nodeId, request);
        if (request.request.apiKey === 0 && dropped < 2) {
          dropped++;
          throw Object.assign(new Error('response lost (test)'), { name: 'KafkaJSConnectionError' });
        }
        return response;
      },
    };
    const producer = await connected(new BatchProducer(losingFirstResponses, { retryBackoffMs: 10 }));
    const acks = await producer.send(Array.from({ length: 100 }, (_, index) => record(topic, index % 2, index)));
    expect(dropped).toBe(2);
    expect(acks).toEqual(expect.arrayContaining([{ topic, partition: 0, lastOffset: 49 }, { topic, partition: 1, lastOffset: 49 }]));
    await producer.send([record(topic, 0, 100)]);
    const admin = kafka.admin();
    await admin.connect();
    const endOffsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    expect(endOffsets.map(({ partition, high }) => [partition, high]).sort()).toEqual([[0, '51'], [1, '50']]);
    const messages = await readTopic(kafka, topic, (read) => read.length >= 101);
    expect(messages).toHaveLength(101);
    expect(new Set(messages.map((message) => message.key?.toString())).size).toBe(101);
  });

  it('reports back-pressure when the buffer is full and room once records are acknowledged', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1 });
    const producer = await connected(new BatchProducer(kafka, { bufferMaxRecords: 100, lingerMs: 50 }));
    const sent = producer.send(Array.from({ length: 250 }, (_, index) => record(topic, 0, index)));
    expect(producer.hasRoom()).toBe(false);
    expect(producer.buffered.records).toBe(250);
    await producer.whenRoom();
    expect(producer.hasRoom()).toBe(true);
    await sent;
    expect(producer.buffered).toEqual({ records: 0, bytes: 0 });
  });

  it('fails with MESSAGE_TOO_LARGE and refuses every later send', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1, configs: { 'max.message.bytes': '2000' } });
    const producer = await connected(new BatchProducer(kafka));
    const error = await producer.send([record(topic, 0, 0, { value: Buffer.alloc(5000) })]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as KafkaProtocolError).errorName).toBe('MESSAGE_TOO_LARGE');
    expect((error as KafkaProtocolError).retriable).toBe(false);
    expect(producer.state).toBe('failed');
    await expect(producer.send([record(topic, 0, 1)])).rejects.toBe(error);
    await expect(producer.flush()).rejects.toBe(error);
  });

  it('fails a send to a partition that does not exist once the delivery timeout passes', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1 });
    const producer = await connected(new BatchProducer(kafka, { deliveryTimeoutMs: 2000 }));
    await expect(producer.send([record(topic, 7, 0)])).rejects.toThrow(`No leader known for ${topic}-7`);
  });
});
