import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { KafkaBrokerError } from './kafka-broker-error.js';
import type { KafkaBrokersContext } from './vitest-provided-context.js';

/**
 * Bootstrap servers of the integration tests' cluster, from the global setup
 * (`inject('kafkaBrokers')`, falling back to `KAFKA_BROKERS`).
 */
export function testBrokers(): string[] {
  let provided: KafkaBrokersContext | undefined;
  try {
    provided = inject('kafkaBrokers');
  } catch {
    provided = undefined; // not running inside a vitest worker
  }
  const list = (provided ?? process.env['KAFKA_BROKERS'] ?? '').split(',').filter((broker) => broker !== '');
  if (list.length === 0) {
    throw new KafkaBrokerError(
      'No Kafka brokers for this test: run it in the "integration" vitest project (its global setup starts a broker) or set KAFKA_BROKERS.',
    );
  }
  return list;
}

/** A topic (or group, or transactional id) name no other test run uses: `<prefix>-<random>`. */
export function uniqueTopicName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
