import { Serdes } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { timeWindowedSerde } from '../windowed-serdes.js';
import { JoinWindows, TimeWindows } from '../windows.js';
import { StreamsBuilder } from './streams-builder.js';

const strings = { keySerde: Serdes.string(), valueSerde: Serdes.string() };

describe('StreamsBuilder', () => {
  it('builds an ordinary topology with Java-style node names, visible in describe() and Mermaid', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    builder
      .stream('clicks', strings)
      .filter((_user, page) => page !== null)
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
      .count({ storeName: 'clicks-per-minute', aggregateSerde: Serdes.int64() })
      .toStream()
      .to('clicks-per-minute', { keySerde: timeWindowedSerde(Serdes.string(), 60_000), valueSerde: Serdes.int64() });
    const text = builder.describe().toString();
    expect(text).toContain('Source: KSTREAM-SOURCE-0000000000 (topics: [clicks])');
    expect(text).toContain('Processor: KSTREAM-FILTER-0000000001 (stores: [])');
    expect(text).toContain('Processor: KSTREAM-AGGREGATE-0000000002 (stores: [clicks-per-minute])');
    expect(text).toContain('Sink: KSTREAM-SINK-0000000003 (topic: clicks-per-minute)');
    expect(builder.describe().toMermaid()).toContain('KSTREAM-AGGREGATE-0000000002');
  });

  it('runs a windowed count end to end in the test driver, with typed steps', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    const counts = builder.stream('clicks', strings).mapValues((page) => (page ?? '').length).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count({ storeName: 'counts', aggregateSerde: Serdes.int64() });
    expectTypeOf(counts.toStream()).toHaveProperty('shape');
    counts.toStream().to('out', { keySerde: timeWindowedSerde(Serdes.string(), 10), valueSerde: Serdes.int64() });
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('clicks', Serdes.string(), Serdes.string());
    input.pipeInput('u1', 'home', 1);
    input.pipeInput('u1', 'cart', 4);
    input.pipeInput('u2', 'home', 12);
    const output = driver.createOutputTopic('out', timeWindowedSerde(Serdes.string(), 10), Serdes.int64());
    expect(output.readKeyValuesToList()).toEqual([
      { key: { key: 'u1', window: { startMs: 0, endMs: 10 } }, value: 1n },
      { key: { key: 'u1', window: { startMs: 0, endMs: 10 } }, value: 2n },
      { key: { key: 'u2', window: { startMs: 10, endMs: 20 } }, value: 1n },
    ]);
  });

  it('joins a stream with a table and two streams within a window', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    const customers = builder.table('customers', { ...strings, storeName: 'customers' });
    const orders = builder.stream('orders', strings);
    orders.join(customers, (order, customer) => `${order} for ${customer}`).to('enriched', strings);
    const payments = builder.stream('payments', strings);
    orders.windowedJoin(payments, (order, payment) => `${order} paid by ${payment}`, JoinWindows.ofTimeDifferenceWithNoGrace(10)).to('paid', strings);
    const driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic('customers', Serdes.string(), Serdes.string()).pipeInput('c1', 'alice', 0);
    driver.createInputTopic('orders', Serdes.string(), Serdes.string()).pipeInput('c1', 'o1', 5);
    driver.createInputTopic('payments', Serdes.string(), Serdes.string()).pipeInput('c1', 'card', 9);
    expect(driver.createOutputTopic('enriched', Serdes.string(), Serdes.string()).readValuesToList()).toEqual(['o1 for alice']);
    expect(driver.createOutputTopic('paid', Serdes.string(), Serdes.string()).readValuesToList()).toEqual(['o1 paid by card']);
  });

  // Kafka Streams inserts a repartition topic after a key change; the fluent layer does not, so
  // it refuses the operation at build time instead of joining records that are not co-partitioned.
  it('refuses to group or join after a key change, at build time', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    const rekeyed = builder.stream('orders', strings).map((key, value) => [value, key] as const);
    expect(() => rekeyed.groupByKey()).toThrow(/groupByKey\(\) after the key-changing step "KSTREAM-MAP-0000000001" would need a repartition topic/);
    const table = builder.table('customers', strings);
    expect(() => rekeyed.join(table, (value) => value)).toThrow(/not co-partitioned/);
  });

  // KStream#join(GlobalKTable, keySelector, joiner): a lookup by a key taken from the value.
  it('joins a stream with a global table by a selected key, even after a key change', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    const products = builder.globalTable('products', { ...strings, storeName: 'products' });
    builder
      .stream('orders', strings)
      .map((orderId, productId) => [productId, orderId] as const)
      .joinGlobal(products, (productId) => productId, (orderId, product) => `${orderId}: ${product ?? 'unknown'}`, { kind: 'left' })
      .to('priced', strings);
    const driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic('products', Serdes.string(), Serdes.string()).pipeInput('p1', 'pen', 0);
    const orders = driver.createInputTopic('orders', Serdes.string(), Serdes.string());
    orders.pipeInput('o1', 'p1', 1);
    orders.pipeInput('o2', 'p9', 2);
    expect(driver.createOutputTopic('priced', Serdes.string(), Serdes.string()).readValuesToList()).toEqual(['o1: pen', 'o2: unknown']);
  });

  it('turns table updates into a stream with tombstones', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    const seen: (string | null)[] = [];
    builder.table('customers', strings).toStream().peek((_key, value) => void seen.push(value));
    const driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic('customers', Serdes.string(), Serdes.string());
    input.pipeInput('c1', 'alice', 1);
    input.pipeInput('c1', null, 2);
    expect(seen).toEqual(['alice', null]);
  });
});
