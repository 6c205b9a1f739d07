import { randomBytes } from 'node:crypto';
import { KafkaBrokerError } from './kafka-broker-error.js';
import type { KafkaBrokersContext } from './vitest-provided-context.js';

/**
 * What vitest's `inject()` reads: the worker state's provided context, present only inside a
 * vitest worker. Read directly (not through `import { inject } from 'vitest'`), because importing
 * vitest anywhere else fails with "Vitest failed to access its internal state", naming no fix.
 */
function providedBrokers(): KafkaBrokersContext | undefined {
  const worker = (globalThis as { __vitest_worker__?: { providedContext?: { kafkaBrokers?: KafkaBrokersContext } } }).__vitest_worker__;
  return worker?.providedContext?.kafkaBrokers;
}

/**
 * Bootstrap servers of the integration tests' cluster, from the global setup (what
 * `inject('kafkaBrokers')` returns), falling back to `KAFKA_BROKERS`. Outside a vitest test and
 * without `KAFKA_BROKERS`, it throws an error pointing to `KafkaCluster.start()`.
 */
export function testBrokers(): string[] {
  const list = (providedBrokers() ?? process.env['KAFKA_BROKERS'] ?? '').split(',').filter((broker) => broker !== '');
  if (list.length > 0) return list;
  if (!('__vitest_worker__' in globalThis)) {
    throw new KafkaBrokerError(
      'testBrokers() from @kstreams/kafka-broker/testing only works inside a vitest test of the "integration" project (its global setup starts the broker) or with KAFKA_BROKERS set. ' +
        'Outside vitest, start a broker with `await KafkaCluster.start()` (or `await useKafka()`) from @kstreams/kafka-broker and pass its `bootstrapServers` to your client.',
    );
  }
  throw new KafkaBrokerError(
    'No Kafka brokers for this test: run it in the "integration" vitest project (its global setup starts a broker) or set KAFKA_BROKERS.',
  );
}

/** A topic (or group, or transactional id) name no other test run uses: `<prefix>-<random>`. */
export function uniqueTopicName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
