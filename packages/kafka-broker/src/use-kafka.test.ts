import { afterEach, describe, expect, it, vi } from 'vitest';
import { brokersFromEnvironment, useKafka } from './use-kafka.js';

describe('brokersFromEnvironment', () => {
  it('splits KAFKA_BROKERS on commas and trims', () => {
    expect(brokersFromEnvironment({ KAFKA_BROKERS: ' a:9092, b:9092 ,' })).toEqual(['a:9092', 'b:9092']);
  });

  it('is undefined when KAFKA_BROKERS is unset or blank', () => {
    expect(brokersFromEnvironment({})).toBeUndefined();
    expect(brokersFromEnvironment({ KAFKA_BROKERS: ' , ' })).toBeUndefined();
  });
});

describe('useKafka', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses the cluster in KAFKA_BROKERS and starts nothing', async () => {
    vi.stubEnv('KAFKA_BROKERS', 'kafka-1:9092,kafka-2:9092');
    const kafka = await useKafka();
    expect(kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(kafka.cluster).toBeUndefined();
    await kafka.close();
  });
});
