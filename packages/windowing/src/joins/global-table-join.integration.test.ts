import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes, Stores, Topology, type KeyValueStore, type Record } from '@kstreams/core';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { KafkaStreams } from '@kstreams/runtime';
import { lmdbBackend } from '@kstreams/store-lmdb';
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { addWiredProcessor } from '../wired-processor.js';
import { globalTableJoin } from './global-table-join.js';

const stateDir = mkdtempSync(join(tmpdir(), 'global-join-it-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const strings = { keySerde: Serdes.string(), valueSerde: Serdes.string() };

function enrichTopology(topics: { products: string; orders: string; enriched: string }) {
  const products = Stores.keyValueStoreBuilder({ name: 'products', backend: lmdbBackend(), ...strings }).withLoggingDisabled();
  const base = Topology.untyped()
    .addSource('orders', { topics: [topics.orders], ...strings })
    .addGlobalStore(products, 'products-source', { topic: topics.products, ...strings }, 'products-loader', () => {
      let store: KeyValueStore<string | null, string | null>;
      return { init: (context) => void (store = context.getStateStore('products')), process: (record: Record<string | null, string | null>) => store.put(record.key, record.value) };
    });
  return addWiredProcessor(base, 'with-product', globalTableJoin({ globalStoreName: 'products', keySelector: (_orderId, productId: string) => productId, joiner: (productId: string, product: string | null) => `${productId}=${product}` }), 'orders')
    .addSink('enriched', topics.enriched, strings, 'with-product');
}

describe('a global-store join on the real broker', () => {
  it('joins orders with a global table read from every partition, follows updates, and restores it after a restart', async () => {
    const topics = { products: uniqueTopicName('products'), orders: uniqueTopicName('orders'), enriched: uniqueTopicName('enriched') };
    const kafka = new kafkajs.Kafka({ brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2, replicationFactor: -1 })) });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (topic: string, key: string, value: string) => producer.send({ topic, acks: -1, messages: [{ key, value }] });
    const enriched: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueTopicName('reader'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.enriched, fromBeginning: true });
    void consumer.run({ eachMessage: async ({ message }) => void enriched.push(message.value?.toString() ?? '') });
    const waitFor = async (done: () => boolean, what: string, onRetry?: () => Promise<unknown>) => {
      const deadline = Date.now() + 60_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; enriched so far: ${JSON.stringify(enriched)}`);
        await onRetry?.();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const applicationId = uniqueTopicName('global-join');
    const config = { applicationId, bootstrapServers: testBrokers(), stateDir, commitIntervalMs: 500 };
    try {
      for (const [id, name] of [['p1', 'pen'], ['p2', 'ink'], ['p3', 'pad'], ['p4', 'cap']]) await send(topics.products, id as string, name as string);
      const first = new KafkaStreams(enrichTopology(topics), config);
      await first.start();
      await waitFor(() => first.state() === 'RUNNING', 'the first instance to run');
      for (const id of ['p1', 'p2', 'p3', 'p4']) await send(topics.orders, `order-${id}`, id);
      await waitFor(() => enriched.length >= 4, 'four enriched orders');
      expect([...enriched].sort()).toEqual(['p1=pen', 'p2=ink', 'p3=pad', 'p4=cap']);
      // A product added while running reaches the global store: retry the order until it joins.
      await send(topics.products, 'p5', 'cup');
      await waitFor(() => enriched.includes('p5=cup'), 'the new product to join', () => send(topics.orders, 'order-p5', 'p5'));
      expect(await first.close({ timeoutMs: 20_000 })).toBe(true);
      expect(existsSync(join(stateDir, applicationId, 'global', '.checkpoint'))).toBe(true);

      // Changed while the application is down: the restart must restore it before RUNNING.
      await send(topics.products, 'p2', 'ink v2');
      const second = new KafkaStreams(enrichTopology(topics), config);
      await second.start();
      await waitFor(() => second.state() === 'RUNNING', 'the restarted instance to run');
      const before = enriched.length;
      await send(topics.orders, 'order-p2-again', 'p2');
      await send(topics.orders, 'order-p3-again', 'p3');
      await waitFor(() => enriched.length >= before + 2, 'two orders after the restart');
      expect(enriched.slice(before).sort()).toEqual(['p2=ink v2', 'p3=pad']);
      expect(await second.close({ timeoutMs: 20_000 })).toBe(true);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  }, 240_000);
});
