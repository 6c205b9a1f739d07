import { describe, expect, it } from 'vitest';
import { TopologyError } from '../errors/streams-error.js';
import { Topology } from './topology.js';
import { fakeStoreBuilder, PassThrough } from './topology-fixtures.test-helper.js';
import { validateCopartitioning } from './validate-copartitioning.js';

const joined = () =>
  new Topology()
    .addSource('orders', { topics: ['orders'] })
    .addSource('customers', { topics: ['customers'] })
    .addProcessor('join', () => new PassThrough(), 'orders', 'customers')
    .addSource('other', { topics: ['audit'] })
    .addProcessor('audit-log', () => new PassThrough(), 'other')
    .addStateStore(fakeStoreBuilder('log'), 'audit-log')
    .build();

describe('validateCopartitioning', () => {
  it('accepts sub-topologies whose source topics have equal partition counts', () => {
    const counts = new Map([['orders', 6], ['customers', 6], ['audit', 1]]);
    expect(() => validateCopartitioning(joined(), counts)).not.toThrow();
  });

  it('names the topics and their counts when they differ', () => {
    const counts = new Map([['orders', 6], ['customers', 3], ['audit', 1]]);
    expect(() => validateCopartitioning(joined(), counts)).toThrow(TopologyError);
    expect(() => validateCopartitioning(joined(), counts)).toThrow(
      'Source topics of sub-topology 0 are not co-partitioned: "orders" (6), "customers" (3).',
    );
  });

  it('names a source topic whose partition count is unknown', () => {
    const counts = new Map([['orders', 6], ['customers', 6]]);
    expect(() => validateCopartitioning(joined(), counts)).toThrow(/"audit" of sub-topology 1 has no known partition count/);
  });
});
