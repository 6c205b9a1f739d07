import { Serdes, Stores, Topology, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { addWiredProcessor } from '../wired-processor.js';
import { globalTableJoin } from './global-table-join.js';
import { streamTableJoin } from './stream-table-join.js';
import { tableSource } from './table-source.js';
import { addTableTableJoin } from './table-table-join.js';

const strings = { keySerde: Serdes.string(), valueSerde: Serdes.string() };

function capture(out: string[]) {
  return () => ({ process: (record: Record<string | null, string | null>) => void out.push(`${record.key}:${record.value}@${record.timestamp}`) });
}

function streamTable(kind: 'inner' | 'left') {
  const out: string[] = [];
  const base = new Topology().addSource('orders', { topics: ['orders'], ...strings }).addSource('customers-topic', { topics: ['customers'], ...strings });
  const withTable = addWiredProcessor(base, 'customers', tableSource({ storeName: 'customers', backend: inMemoryBackend(), ...strings }), 'customers-topic');
  const topology = addWiredProcessor(withTable, 'enrich', streamTableJoin({ tableStoreName: 'customers', kind, joiner: (order: string, customer: string | null) => `${order}/${customer ?? '-'}` }), 'orders').addProcessor('capture', capture(out), 'enrich');
  const driver = new TopologyTestDriver(topology);
  return { driver, orders: driver.createInputTopic('orders', Serdes.string(), Serdes.string()), customers: driver.createInputTopic('customers', Serdes.string(), Serdes.string()), out };
}

describe('streamTableJoin', () => {
  // KStreamKTableJoin: only stream records trigger output; the table is looked up as it is now;
  // inner drops misses, left joins them with null; a table tombstone removes the key.
  it('inner join forwards only stream records whose key is in the table, with the stream timestamp', () => {
    const { orders, customers, out } = streamTable('inner');
    orders.pipeInput('c1', 'o1', 1);
    customers.pipeInput('c1', 'alice', 2);
    orders.pipeInput('c1', 'o2', 3);
    customers.pipeInput('c1', null, 4);
    orders.pipeInput('c1', 'o3', 5);
    expect(out).toEqual(['c1:o2/alice@3']);
  });

  it('left join forwards every stream record, joining misses and null keys with null, and drops null values', () => {
    const { driver, orders, customers, out } = streamTable('left');
    customers.pipeInput('c1', 'alice', 1);
    orders.pipeInput('c1', 'o1', 2);
    orders.pipeInput('c2', 'o2', 3);
    orders.pipeInput(null, 'o3', 4);
    orders.pipeInput('c1', null, 5);
    expect(out).toEqual(['c1:o1/alice@2', 'c2:o2/-@3', 'null:o3/-@4']);
    expect(driver.droppedRecords().get('null-value')).toBe(1);
  });
});

describe('streamTableJoin with a versioned table', () => {
  // KIP-914: with a versioned table, a stream record joins the table value valid at the
  // record's timestamp, so out-of-order stream records see the table as it was; the table
  // source forwards only new latest versions.
  it('joins out-of-order stream records with the table value valid at their timestamp', () => {
    const out: string[] = [];
    const store = Stores.versionedKeyValueStoreBuilder({ name: 'prices', backend: inMemoryBackend(), historyRetentionMs: 1_000, ...strings });
    const base = new Topology().addSource('orders', { topics: ['orders'], ...strings }).addSource('prices-topic', { topics: ['prices'], ...strings });
    const withTable = addWiredProcessor(base, 'prices', tableSource({ storeName: 'prices', storeBuilder: store, versioned: true, ...strings }), 'prices-topic');
    const topology = addWiredProcessor(withTable, 'priced', streamTableJoin({ tableStoreName: 'prices', tableKind: 'versioned', joiner: (order: string, price: string | null) => `${order}@${price}` }), 'orders')
      .addProcessor('capture', capture(out), 'priced');
    const driver = new TopologyTestDriver(topology);
    const prices = driver.createInputTopic('prices', Serdes.string(), Serdes.string());
    const orders = driver.createInputTopic('orders', Serdes.string(), Serdes.string());
    prices.pipeInput('pen', '1.00', 10);
    prices.pipeInput('pen', '1.50', 20);
    orders.pipeInput('pen', 'o-late', 15);
    orders.pipeInput('pen', 'o-now', 25);
    orders.pipeInput('pen', 'o-early', 5);
    expect(out).toEqual(['pen:o-late@1.00@15', 'pen:o-now@1.50@25']);
  });
});

describe('addTableTableJoin', () => {
  function tables(kind: 'inner' | 'left' | 'outer') {
    const out: string[] = [];
    const base = new Topology().addSource('left-topic', { topics: ['left'], ...strings }).addSource('right-topic', { topics: ['right'], ...strings });
    const withLeft = addWiredProcessor(base, 'left-table', tableSource({ storeName: 'left-store', backend: inMemoryBackend(), ...strings }), 'left-topic');
    const withRight = addWiredProcessor(withLeft, 'right-table', tableSource({ storeName: 'right-store', backend: inMemoryBackend(), ...strings }), 'right-topic');
    const topology = addTableTableJoin(withRight, {
      name: 'joined',
      left: 'left-table',
      leftStoreName: 'left-store',
      right: 'right-table',
      rightStoreName: 'right-store',
      kind,
      joiner: (left: string | null, right: string | null) => `${left ?? '-'}+${right ?? '-'}`,
    }).addProcessor('capture', capture(out), 'joined');
    const driver = new TopologyTestDriver(topology);
    return { left: driver.createInputTopic('left', Serdes.string(), Serdes.string()), right: driver.createInputTopic('right', Serdes.string(), Serdes.string()), out };
  }

  // KTableKTableJoin (inner): updates on either side emit the new result with the later
  // timestamp; a tombstone on either side emits a null result once; a lone side emits nothing.
  it('inner join emits results for updates on both sides and a tombstone when the key leaves', () => {
    const { left, right, out } = tables('inner');
    left.pipeInput('k', 'A', 1);
    right.pipeInput('k', 'x', 2);
    left.pipeInput('k', 'B', 3);
    right.pipeInput('k', null, 4);
    left.pipeInput('k', 'C', 5);
    expect(out).toEqual(['k:A+x@2', 'k:B+x@3', 'k:null@4']);
  });

  // KTableKTableLeftJoin: every left value yields a result (right may be null); right updates
  // only matter while the left key exists.
  it('left join keeps left keys without a right value and ignores right keys without a left value', () => {
    const { left, right, out } = tables('left');
    right.pipeInput('k', 'x', 1);
    left.pipeInput('k', 'A', 2);
    right.pipeInput('k', null, 3);
    left.pipeInput('k', null, 4);
    expect(out).toEqual(['k:A+x@2', 'k:A+-@3', 'k:null@4']);
  });

  // KTableKTableOuterJoin: either side alone yields a result; the result goes null only when both are gone.
  it('outer join emits results while either side has a value', () => {
    const { left, right, out } = tables('outer');
    right.pipeInput('k', 'x', 1);
    left.pipeInput('k', 'A', 2);
    right.pipeInput('k', null, 3);
    left.pipeInput('k', null, 4);
    expect(out).toEqual(['k:-+x@1', 'k:A+x@2', 'k:A+-@3', 'k:null@4']);
  });
});

describe('globalTableJoin', () => {
  // KStream#join(GlobalKTable, keySelector, joiner): a foreign-key lookup into a global store.
  it('looks up the global store by a selected key, inner or left', () => {
    const out: string[] = [];
    const products = Stores.keyValueStoreBuilder({ name: 'products', backend: inMemoryBackend(), ...strings }).withLoggingDisabled();
    const base = new Topology()
      .addSource('orders', { topics: ['orders'], ...strings })
      .addGlobalStore(products, 'products-source', { topic: 'products', ...strings }, 'products-update', () => {
        let store: import('@kstreams/core').KeyValueStore<string | null, string | null>;
        return { init: (context) => void (store = context.getStateStore('products')), process: (record: Record<string | null, string | null>) => store.put(record.key, record.value) };
      });
    const inner = addWiredProcessor(base, 'inner', globalTableJoin({ globalStoreName: 'products', keySelector: (_key, value: string) => value.split(':')[0] ?? null, joiner: (order: string, product: string | null) => `${order}=${product}` }), 'orders');
    const topology = addWiredProcessor(inner, 'left', globalTableJoin({ globalStoreName: 'products', kind: 'left', keySelector: (_key, value: string) => value.split(':')[0] ?? null, joiner: (order: string, product: string | null) => `${order}=${product ?? '?'}` }), 'orders')
      .addProcessor('capture-inner', capture(out), 'inner')
      .addProcessor('capture-left', capture(out), 'left');
    const driver = new TopologyTestDriver(topology);
    driver.createInputTopic('products', Serdes.string(), Serdes.string()).pipeInput('p1', 'pen', 0);
    const orders = driver.createInputTopic('orders', Serdes.string(), Serdes.string());
    orders.pipeInput('o1', 'p1:2', 1);
    orders.pipeInput('o2', 'p9:1', 2);
    expect(out).toEqual(['o1:p1:2=pen@1', 'o1:p1:2=pen@1', 'o2:p9:1=?@2']);
  });
});
