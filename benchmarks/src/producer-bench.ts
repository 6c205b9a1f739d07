/**
 * The producer benchmark (issue 12): 1M × 100 B records over 8 partitions written with acks=all
 * by kafkajs' producer as the runtime drives it (2000-record requests, one in flight) and by
 * `@kstreams/kafka-protocol` (our RecordBatch v2 + Produce v8, idempotent, 5 in flight per
 * broker), each run in its own process (CPU-s and peak RSS are the contender's), alternating,
 * after a warm-up of each, median of 3. Every run writes a fresh topic and must leave exactly
 * `records` records in it.
 *
 * `pnpm --filter @kstreams/benchmarks run bench:producer`, or with `BENCH_SHORT=1` (50k records).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs, { type Admin } from 'kafkajs';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';
import { countRecords, createTopic } from './pipeline-workload.js';

const RECORDS = isShortMode ? 50_000 : 1_000_000;
const PARTITIONS = 8;
const MEASURED_RUNS = isShortMode ? 1 : 3;
const CONTENDERS = ['kafkajs', 'kafka-protocol'] as const;
type ContenderName = (typeof CONTENDERS)[number];

interface RunResult {
  readonly recordsPerSecond: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const childScript = fileURLToPath(new URL('./producer-bench-child.ts', import.meta.url));

function runChild(contender: ContenderName, brokers: readonly string[], topic: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions', 'source', '--import', 'tsx', childScript, contender, brokers.join(','), topic, String(RECORDS), String(PARTITIONS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${contender} run exited with ${code}`));
      try {
        resolve(JSON.parse(output.trim().split('\n').pop() ?? '') as RunResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function measure(contender: ContenderName, admin: Admin, brokers: readonly string[], label: string): Promise<RunResult> {
  const topic = `producer-bench-${contender}-${label.replace(' ', '-')}-${Date.now().toString(36)}`;
  await createTopic(admin, topic, PARTITIONS);
  const result = await runChild(contender, brokers, topic);
  const written = await countRecords(admin, topic);
  if (written !== RECORDS) throw new Error(`${contender} ${label}: the topic holds ${written} records, expected exactly ${RECORDS}`);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  log(`  ${contender.padEnd(15)} ${label.padEnd(8)} ${Math.round(result.recordsPerSecond).toLocaleString('en-US').padStart(10)} records/s  ${result.cpuSeconds.toFixed(2)} CPU-s  ${Math.round(result.peakRssMb)} MiB peak RSS`);
  return result;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
const median = (values: readonly number[]): number => summarise('', values).median;

/** Runs the producer benchmark against a broker it starts (or KAFKA_BROKERS) and writes its results. */
export async function runProducerBenchmark(): Promise<BenchmarkResult[]> {
  const connection = await useKafka();
  const kafka = new kafkajs.Kafka({ clientId: 'producer-bench', brokers: connection.brokers, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const loadBefore = loadavg()[0] ?? 0;
    log(`producer: ${RECORDS.toLocaleString('en-US')} records of 100 B over ${PARTITIONS} partitions, acks=all (load average ${loadBefore.toFixed(1)})`);
    for (const contender of CONTENDERS) await measure(contender, admin, connection.brokers, 'warm-up');
    const runs = new Map<ContenderName, RunResult[]>(CONTENDERS.map((contender) => [contender, []]));
    for (let round = 0; round < MEASURED_RUNS; round++) {
      const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
      for (const contender of order) runs.get(contender)?.push(await measure(contender, admin, connection.brokers, `run ${round + 1}`));
    }
    const contenders = CONTENDERS.map((contender) => {
      const results = runs.get(contender) ?? [];
      return {
        ...summarise(contender, results.map((result) => result.recordsPerSecond)),
        cpuSecondsPer1M: Math.round((median(results.map((result) => result.cpuSeconds)) * 1_000_000 * 100) / RECORDS) / 100,
        peakRssMb: Math.round(median(results.map((result) => result.peakRssMb))),
      };
    });
    return [
      writeResult({
        benchmark: 'producer',
        unit: 'records/s',
        config: { records: RECORDS, valueBytes: 100, partitions: PARTITIONS, acks: 'all', recordsPerSend: 2000, measuredRuns: MEASURED_RUNS, loadAverage1mBeforeAfter: [round1(loadBefore), round1(loadavg()[0] ?? 0)], broker: connection.cluster === undefined ? 'KAFKA_BROKERS' : 'local single node' },
        contenders,
        baseline: 'kafkajs',
      }),
    ];
  } finally {
    await admin.disconnect();
    await connection.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runProducerBenchmark().then(
    ([result]) => {
      log(`producer ratios: ${JSON.stringify(result?.ratios)}`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`producer benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
