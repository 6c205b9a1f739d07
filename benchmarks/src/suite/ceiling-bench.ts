/**
 * W0, the ceiling: Kafka's own performance tools (`ProducerPerformance` and
 * `ConsumerPerformance` from kafka-tools of the pinned version, run with `java -cp` on the Java
 * contender's class path) writing and reading records of 100 B on the suite's broker, 8
 * partitions, acks=all. Alternating rounds, medians; a fresh topic per round.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Admin } from 'kafkajs';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from '../bench-results.js';
import { createTopic } from '../pipeline-workload.js';
import { FULL_RECORDS } from './workloads.js';

const run = promisify(execFile);
const RECORDS = isShortMode ? 20_000 : FULL_RECORDS;
const ROUNDS = isShortMode ? 1 : 3;
const PARTITIONS = 8;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function producerPerformance(classPath: string, bootstrap: string, topic: string): Promise<number> {
  const { stdout } = await run('java', ['-cp', classPath, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(RECORDS), '--record-size', '100', '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all'], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  // The summary line: "N records sent, X records/sec (Y MB/sec), ..."
  const summary = stdout.trim().split('\n').reverse().find((line) => line.includes('records sent'));
  const rate = /records sent, ([\d.]+) records\/sec/.exec(summary ?? '')?.[1];
  if (rate === undefined) throw new Error(`ProducerPerformance printed no summary:\n${stdout.slice(-2000)}`);
  return Number(rate);
}

async function consumerPerformance(classPath: string, bootstrap: string, topic: string): Promise<number> {
  const { stdout } = await run('java', ['-cp', classPath, 'org.apache.kafka.tools.ConsumerPerformance', '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(RECORDS), '--timeout', '60000'], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  // "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
  const lines = stdout.trim().split('\n');
  const header = lines.findIndex((line) => line.includes('nMsg.sec'));
  const fields = (lines[header + 1] ?? '').split(',').map((field) => field.trim());
  const names = (lines[header] ?? '').split(',').map((field) => field.trim());
  const rate = Number(fields[names.indexOf('fetch.nMsg.sec')]);
  if (header < 0 || !Number.isFinite(rate)) throw new Error(`ConsumerPerformance printed no result:\n${stdout.slice(-2000)}`);
  return rate;
}

/** Runs W0 and writes `results/w0-ceiling.json`. */
export async function runCeilingBenchmark(options: { admin: Admin; bootstrap: string; classPath: string; machine: () => Record<string, unknown> }): Promise<BenchmarkResult> {
  const producer: number[] = [];
  const consumer: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const topic = `suite-ceiling-${round}-${Date.now().toString(36)}`;
    await createTopic(options.admin, topic, PARTITIONS);
    producer.push(await producerPerformance(options.classPath, options.bootstrap, topic));
    consumer.push(await consumerPerformance(options.classPath, options.bootstrap, topic));
    log(`  w0 round ${round + 1}: producer ${Math.round(producer[round]!).toLocaleString('en-US')} rec/s, consumer ${Math.round(consumer[round]!).toLocaleString('en-US')} rec/s`);
    await options.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  }
  return writeResult({
    benchmark: 'w0-ceiling',
    unit: 'records/s',
    config: {
      records: RECORDS,
      valueBytes: 100,
      partitions: PARTITIONS,
      workload: 'Kafka\'s ProducerPerformance (acks=all, unthrottled) then ConsumerPerformance (fetch.nMsg.sec) on the same fresh topic, per round',
      measuredRuns: ROUNDS,
    },
    contenders: [summarise('java-producer-perf', producer), summarise('java-consumer-perf', consumer)],
    baseline: 'java-producer-perf',
    machine: options.machine(),
  });
}
