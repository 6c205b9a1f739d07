import { ConfigError } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { resolveProducerOptions } from './batch-producer-options.js';

describe('resolveProducerOptions', () => {
  it('uses Java-like defaults: 5 in flight, linger 5 ms, 120 s delivery timeout, idempotent', () => {
    expect(resolveProducerOptions({})).toMatchObject({ transactionalId: null, maxInFlightPerBroker: 5, lingerMs: 5, deliveryTimeoutMs: 120_000, transactionTimeoutMs: 60_000 });
  });

  it('rejects more than 5 requests in flight (idempotence keeps order only up to 5)', () => {
    expect(() => resolveProducerOptions({ maxInFlightPerBroker: 6 })).toThrow(ConfigError);
    expect(() => resolveProducerOptions({ maxInFlightPerBroker: 6 })).toThrow(/maxInFlightPerBroker must be an integer from 1 to 5; got 6/);
  });

  it('rejects an empty transactional id, a negative linger and a zero buffer', () => {
    expect(() => resolveProducerOptions({ transactionalId: '' })).toThrow(/transactionalId must be a non-empty string/);
    expect(() => resolveProducerOptions({ lingerMs: -1 })).toThrow(/lingerMs must be an integer ≥ 0/);
    expect(() => resolveProducerOptions({ bufferMaxRecords: 0 })).toThrow(/bufferMaxRecords/);
  });
});
