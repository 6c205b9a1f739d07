import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import kafkajs from 'kafkajs';
import { DEAD_LETTER_HEADERS } from 'kstreams';
import { appTelemetry, startTopicReader } from 'kstreams-sample-kit';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from './order-events.js';
import { sendClosingOrders, sendGeneratedOrders } from './order-generator.js';
import { ORDER_SERVICE_TOPICS, startOrderService, type OrderServiceAppTopics } from './order-service-app.js';

const stateDir = mkdtempSync(join(tmpdir(), 'order-service-app-it-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('the order-service app (exactly-once, dead-letter queue, /metrics) on a real broker', () => {
  it('writes each order status once (read_committed), dead-letters rejects and undeserializable records, and serves /metrics', async () => {
    const topics = Object.fromEntries(Object.keys(ORDER_SERVICE_TOPICS).map((role) => [role, uniqueTopicName(`order-app-${role}`)])) as unknown as OrderServiceAppTopics;
    const kafka = new kafkajs.Kafka({ brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING });
    const telemetry = appTelemetry();
    const service = await startOrderService({ brokers: testBrokers(), applicationId: uniqueTopicName('order-app'), topics, stateDir, partitions: 2, meterProvider: telemetry.meterProvider });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const reader = await startTopicReader(kafka, [topics.orderStatus, topics.deadLetters, topics.undeserializable]);
    try {
      const base = Date.now() - 120_000;
      // 24 orders 200 ms apart (two cycles of every outcome), then confirmed orders 30 s later
      // (on both partitions) whose stream time closes the earlier join windows, so unmatched
      // orders are reported too.
      const orders = await sendGeneratedOrders(producer, topics, { from: 0, count: 24, timestampOf: (index) => base + index * 200 });
      orders.push(...(await sendClosingOrders(producer, topics, { from: 24, count: 6, timestamp: base + 30_000 })));
      const expectedStatuses = orders.filter((order) => order.outcome === 'confirmed').map((order) => order.orderId).sort();
      const expectedRejects = orders.filter((order) => order.outcome !== 'confirmed' && order.outcome !== 'undeserializable').map((order) => `${order.orderId}:${order.outcome}`).sort();
      const expectedUndeserializable = orders.filter((order) => order.outcome === 'undeserializable').map((order) => order.orderId).sort();
      // Both partitions' windows close only when each sees the late traffic: expect all rejects.
      await Promise.race([
        reader.waitFor((read) => read.get(topics.orderStatus)!.length >= expectedStatuses.length && read.get(topics.deadLetters)!.length >= expectedRejects.length && read.get(topics.undeserializable)!.length >= expectedUndeserializable.length, 90_000),
        service.failed,
      ]);
      // Nothing more arrives: every committed record is there exactly once.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(reader.read.get(topics.orderStatus)!.map((record) => record.key).sort()).toEqual(expectedStatuses);
      expect(reader.read.get(topics.deadLetters)!.map((record) => `${record.key}:${(JSON.parse(record.value!) as DeadLetter).reason}`).sort()).toEqual(expectedRejects);
      const undeserializable = reader.read.get(topics.undeserializable)!;
      expect(undeserializable.map((record) => record.key).sort()).toEqual(expectedUndeserializable);
      expect(undeserializable[0]!.headers[DEAD_LETTER_HEADERS.topic]).toBe(topics.orders);
      expect(undeserializable[0]!.value).toMatch(/^\{"orderId":"o-\d+","product":$/);

      // Written in transactions: each commit marker takes an offset, so a partition's end offset
      // lies beyond its last record.
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topics.orderStatus).finally(() => admin.disconnect());
      const lastOffsets = new Map<number, number>();
      for (const record of reader.read.get(topics.orderStatus)!) lastOffsets.set(record.partition, Math.max(lastOffsets.get(record.partition) ?? -1, record.offset));
      for (const [partition, last] of lastOffsets) expect(Number(ends.find((end) => end.partition === partition)!.high)).toBeGreaterThan(last + 1);

      await using server = await telemetry.serve(service.streams);
      const scraped = await (await fetch(`${server.url}/metrics`)).text();
      const processed = [...scraped.matchAll(/^kstreams_thread_process_total\{[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      expect(processed).toBeGreaterThanOrEqual(orders.flatMap((order) => order.events).length - expectedUndeserializable.length);
      expect(scraped).toMatch(/^kstreams_client_state\{/m);
    } finally {
      await reader.stop();
      await producer.disconnect();
      await service.close();
      await telemetry.shutdown();
    }
  }, 180_000);
});
