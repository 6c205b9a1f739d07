/**
 * W4's latency half: a contender runs W2's count under exactly-once (commit 100 ms) on an empty
 * input topic while the suite writes to it at a steady rate; a read_committed consumer of the
 * output measures, per output record, the time from the input record's create timestamp (which
 * the count's update carries) until the record is visible to it.
 */
import type { Admin, Kafka } from 'kafkajs';
import { createTopic } from '../pipeline-workload.js';
import { ContenderProcess } from './contender-process.js';
import { discardRun, freshRun, type SuiteContender, type SuiteContext } from './suite-runs.js';
import { inputKey, inputValue, type Workload } from './workloads.js';

/** p50 and p99 end-to-end latency of one run, or why the contender refused to run. */
export interface LatencyMeasurement {
  readonly rejected?: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly outputRecords: number;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number);
}

/** Writes `ratePerSecond` records per second for `seconds`, in 20 ms slices. */
async function produceSteadily(kafka: Kafka, topic: string, workload: Workload, ratePerSecond: number, seconds: number): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const startedAt = Date.now();
    let sent = 0;
    const total = ratePerSecond * seconds;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - startedAt) / 1000) * ratePerSecond));
      if (due > sent) {
        const messages = [];
        for (; sent < due; sent++) messages.push({ key: inputKey(sent, workload.input.keys), value: inputValue(sent, workload.input.valueBytes), timestamp: String(Date.now()) });
        await producer.send({ topic, acks: -1, messages });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await producer.disconnect();
  }
}

/** One latency run of `contender`: steady input for `seconds`, then until the output is quiet. */
export async function measureLatency(context: SuiteContext, workload: Workload, contender: SuiteContender, options: { label: string; ratePerSecond: number; seconds: number }): Promise<LatencyMeasurement> {
  const input = `suite-latency-input-${contender.name}-${Date.now().toString(36)}`;
  await createTopic(context.admin, input, workload.input.partitions);
  const run = { ...freshRun(context, workload, contender, `latency-${options.label}`), input, records: -1 };
  await createTopic(context.admin, run.output, workload.input.partitions);
  const app = new ContenderProcess(contender.name, contender.command(run));
  const consumer = context.kafka.consumer({ groupId: `${run.applicationId}-latency-reader`, maxWaitTimeInMs: 20, minBytes: 1 });
  try {
    const started = await app.waitFor(['running', 'rejected'], 180_000);
    if (started.event === 'rejected') {
      log(`  ${contender.name.padEnd(20)} ${options.label.padEnd(8)} rejected: ${started.message}`);
      return { rejected: started.message, p50Ms: 0, p99Ms: 0, outputRecords: 0 };
    }
    const latencies: number[] = [];
    let lastOutputAt = Date.now();
    // The first fifth of the steady input is the contender's warm-up (JIT, first transactions): not counted.
    let countFrom = Number.POSITIVE_INFINITY;
    await consumer.connect();
    await consumer.subscribe({ topic: run.output, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        if (batch.messages.length > 0) lastOutputAt = now;
        for (const message of batch.messages) {
          const createdAt = Number(message.timestamp);
          if (createdAt >= countFrom) latencies.push(now - createdAt);
        }
      },
    });
    await joined;
    countFrom = Date.now() + (options.seconds * 1000) / 5;
    await produceSteadily(context.kafka, input, workload, options.ratePerSecond, options.seconds);
    // Drain: until the output has been quiet for 2 s (at most 60 s), so slow records are counted too.
    const drainDeadline = Date.now() + 60_000;
    while (Date.now() - lastOutputAt < 2_000 && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const sorted = [...latencies].sort((left, right) => left - right);
    const measurement = { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), outputRecords: sorted.length };
    log(`  ${contender.name.padEnd(20)} ${options.label.padEnd(8)} latency p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms over ${sorted.length} output records at ${options.ratePerSecond}/s`);
    if (sorted.length === 0) throw new Error(`${contender.name}: no output visible to a read_committed consumer during the latency run`);
    return measurement;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await app.stop().catch(() => app.kill());
    await discardRun(context, run);
    await deleteTopic(context.admin, input);
  }
}

async function deleteTopic(admin: Admin, topic: string): Promise<void> {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
}
