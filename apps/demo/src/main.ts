import { useKafka } from '@kstreams/kafka-broker';
import { runDemo } from './run-demo.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Starts a local broker (or uses KAFKA_BROKERS), runs the demo, and always stops the broker. */
async function main(): Promise<void> {
  const external = process.env['KAFKA_BROKERS'];
  log(external === undefined || external === '' ? 'Starting a local Kafka broker...' : `Using the Kafka cluster in KAFKA_BROKERS: ${external}`);
  const kafka = await useKafka();
  try {
    if (kafka.cluster !== undefined) log(`Kafka is up on ${kafka.brokers.join(',')} (started in ${kafka.cluster.timings.totalMs} ms)`);
    const received = await runDemo(kafka.brokers, log);
    log(`Read back ${received.length} sentences through a consumer group.`);
  } finally {
    await kafka.close();
    if (kafka.cluster !== undefined) log('Stopped the local Kafka broker.');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
