import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { appTelemetry, runMain, startTopicReader } from 'kstreams-sample-kit';
import { sendClosingOrders, sendGeneratedOrders, type OrderOutcome } from './order-generator.js';
import { ORDER_SERVICE_TOPICS, startOrderService, type OrderServiceAppTopics } from './order-service-app.js';
import { expectedTally, formatTally, tallyOutputs } from './order-tally.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const seconds = Number(process.env['ORDER_SERVICE_SECONDS'] ?? 30);
const ordersPerSecond = Number(process.env['ORDER_SERVICE_RATE'] ?? 20);

/**
 * `npm run order-service`: starts a local broker (or uses KAFKA_BROKERS), the order service
 * under exactly-once with /metrics, and a generator of orders, payments and stock reservations
 * (with mismatches, missing events and broken JSON); prints what the output topics hold every
 * 5 s (read_committed), and stops after ORDER_SERVICE_SECONDS (0: at Ctrl-C).
 */
async function main(): Promise<void> {
  await using kafka = await useKafka();
  const suffix = kafka.cluster === undefined ? `-${Date.now().toString(36)}` : '';
  const topics = Object.fromEntries(Object.entries(ORDER_SERVICE_TOPICS).map(([role, topic]) => [role, `${topic}${suffix}`])) as unknown as OrderServiceAppTopics;
  log(`Kafka: ${kafka.brokers.join(',')}${kafka.cluster === undefined ? ' (KAFKA_BROKERS)' : ' (started locally)'}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-order-service-'));
  const telemetry = appTelemetry();
  const client = new kafkajs.Kafka({ clientId: 'order-generator', brokers: [...kafka.brokers], logLevel: kafkajs.logLevel.NOTHING });
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  const service = await startOrderService({ brokers: kafka.brokers, applicationId: `order-service${suffix}`, topics, stateDir, meterProvider: telemetry.meterProvider, log });
  await using server = await telemetry.serve(service.streams, Number(process.env['KSTREAMS_METRICS_PORT'] ?? 0));
  log(`Metrics: ${server.url}/metrics  health: ${server.url}/health`);
  const reader = await startTopicReader(client, [topics.orderStatus, topics.deadLetters, topics.undeserializable]);
  await producer.connect();
  const sent = new Map<OrderOutcome, number>();
  try {
    await generate({ stop: stopSignal(), failed: service.failed, onTick: async (tick) => {
      const orders = await sendGeneratedOrders(producer, topics, { from: tick * ordersPerSecond, count: ordersPerSecond, timestampOf: () => Date.now() });
      for (const order of orders) sent.set(order.outcome, (sent.get(order.outcome) ?? 0) + 1);
      if (tick % 5 === 4) log(`${(tick + 1) * ordersPerSecond} orders sent; outputs: ${formatTally(tallyOutputs(reader.read, topics))}`);
    } });
    const closing = await sendClosingOrders(producer, topics, { from: sentCount(sent), count: 12, timestamp: Date.now() + 12_000 });
    sent.set('confirmed', (sent.get('confirmed') ?? 0) + closing.length);
    log(`Generator stopped; sent ${closing.length} closing orders stamped 12 s ahead, so the last join windows close.`);
    const expected = expectedTally(sent);
    const complete = await reader.waitFor((read) => formatTally(tallyOutputs(read, topics)) === formatTally(expected), 30_000).then(() => true, () => false);
    log(`Made to end as:            ${formatTally(expected)}`);
    log(`Read back (read_committed): ${formatTally(tallyOutputs(reader.read, topics))}`);
    log(complete ? 'Every order ended as it was made to, exactly once.' : 'The outputs do not match what the generator made (yet).');
    const metrics = (await (await fetch(`${server.url}/metrics`)).text()).split('\n');
    log(`From /metrics: ${metrics.filter((line) => line.startsWith('kstreams_thread_process_total') || line.startsWith('kstreams_task_dropped_records_total')).join('; ')}`);
  } finally {
    await reader.stop();
    await producer.disconnect();
    await service.close();
    await telemetry.shutdown();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const sentCount = (sent: ReadonlyMap<OrderOutcome, number>): number => [...sent.values()].reduce((sum, count) => sum + count, 0);

/** A promise that resolves after ORDER_SERVICE_SECONDS, or at SIGINT/SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    if (seconds > 0) setTimeout(resolve, seconds * 1000).unref();
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Calls `onTick` once a second until `stop` resolves (or `failed` rejects). */
async function generate({ stop, failed, onTick }: { stop: Promise<void>; failed: Promise<never>; onTick: (tick: number) => Promise<void> }): Promise<void> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let tick = 0; !stopped; tick++) {
    const started = Date.now();
    await Promise.race([onTick(tick), failed]);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started)))), stop, failed]);
  }
}

runMain('order-service', main);
