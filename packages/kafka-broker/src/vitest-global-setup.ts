import type { TestProject } from 'vitest/node';
import { useKafka } from './use-kafka.js';

import type { KafkaBrokersContext } from './vitest-provided-context.js';

/**
 * Vitest global setup of the `integration` project: uses `KAFKA_BROKERS` when set, otherwise
 * starts a single-node broker; hands the bootstrap list to tests through
 * `inject('kafkaBrokers')` and `process.env.KAFKA_BROKERS`; stops the broker in teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kafka = await useKafka();
  const brokers: KafkaBrokersContext = kafka.brokers.join(',');
  process.env['KAFKA_BROKERS'] = brokers;
  project.provide('kafkaBrokers', brokers);
  if (kafka.cluster !== undefined) {
    const { timings } = kafka.cluster;
    process.stderr.write(`[kafka-broker] Kafka started on ${brokers} in ${timings.totalMs} ms (jars ${timings.resolveJarsMs} ms, format ${timings.formatMs} ms, start ${timings.startMs} ms)\n`);
  }
  return async () => {
    await kafka.close();
  };
}
