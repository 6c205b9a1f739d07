import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import kafkajs from 'kafkajs';
import { KafkaStreams } from 'kstreams';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeadLetter, Order, Payment, StockReservation } from './order-events.js';
import { orderServiceTopology } from './order-service-topology.js';
import { startTopicReader, type ReadRecord } from 'kstreams-sample-kit';

const stateDir = mkdtempSync(join(tmpdir(), 'order-service-it-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const reasonsOf = (records: readonly ReadRecord[]) => records.map((record) => `${record.key}:${(JSON.parse(record.value ?? '{}') as DeadLetter).reason}`).sort();

describe('the order-service sample on a real broker', () => {
  it('confirms matched orders and dead-letters mismatched, unmatched and late events, end to end with KafkaStreams', async () => {
    const topics = { orders: uniqueTopicName('orders'), payments: uniqueTopicName('payments'), stock: uniqueTopicName('stock'), orderStatus: uniqueTopicName('order-status'), deadLetters: uniqueTopicName('order-dlq') };
    const kafka = new kafkajs.Kafka({ brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1, replicationFactor: -1 })) });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const base = Date.now() - 60_000;
    const send = async (topic: string, key: string, value: Order | Payment | StockReservation, offsetMs: number) =>
      producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify(value), timestamp: String(base + offsetMs) }] });
    const order = (orderId: string, amountCents: number, at: number) => send(topics.orders, orderId, { orderId, product: 'pen', quantity: 1, amountCents }, at);
    const pay = (orderId: string, amountCents: number, at: number) => send(topics.payments, orderId, { orderId, amountCents }, at);
    const reserve = (orderId: string, at: number) => send(topics.stock, orderId, { orderId, product: 'pen', reserved: 1 }, at);

    const applicationId = uniqueTopicName('order-service');
    const streams = new KafkaStreams(orderServiceTopology(topics), { applicationId, bootstrapServers: testBrokers(), stateDir, commitIntervalMs: 500 });
    const reader = await startTopicReader(kafka, [topics.orderStatus, topics.deadLetters]);
    try {
      // Phase 1: a matched order and a payment mismatch, all within 10 s.
      await order('o1', 500, 0);
      await order('o2', 500, 1_000);
      await pay('o2', 400, 1_500);
      await pay('o1', 500, 2_000);
      await reserve('o2', 2_500);
      await reserve('o1', 3_000);
      await streams.start();
      await reader.waitFor((read) => (read.get(topics.orderStatus)?.length ?? 0) >= 1 && (read.get(topics.deadLetters)?.length ?? 0) >= 1, 60_000);
      // Phase 2: an order never paid, traffic 20 s later that closes its window, then a late order.
      await order('o3', 500, 4_000);
      await order('o4', 100, 20_000);
      await pay('o4', 100, 20_000);
      await reserve('o4', 20_000);
      await order('o5', 100, 1_000);
      await reader.waitFor((read) => (read.get(topics.orderStatus)?.length ?? 0) >= 2 && (read.get(topics.deadLetters)?.length ?? 0) >= 3, 60_000);
      expect(reader.read.get(topics.orderStatus)?.map((record) => record.key)).toEqual(['o1', 'o4']);
      expect(reasonsOf(reader.read.get(topics.deadLetters) ?? [])).toEqual(['o2:payment-amount-mismatch', 'o3:no-payment-within-window', 'o5:late-event']);
    } finally {
      await reader.stop();
      await producer.disconnect();
      await streams.close({ timeoutMs: 15_000 });
    }
  }, 180_000);
});
