/**
 * The pipeline benchmark (issue 5): a consume → filter/map → produce pipe against one local
 * broker, written by hand on kafkajs (the floor) and as a kstreams topology, side by side in one
 * run: a warm-up of each, then alternating measured runs, median of at least 3. Every run reads
 * the same input into a fresh output topic with a fresh consumer group, and must write exactly
 * the records the filter keeps.
 *
 * `pnpm --filter @kstreams/benchmarks run bench:pipeline` (1M × 100 B over 8 partitions), or
 * with `BENCH_SHORT=1` (20k records).
 */
import { pathToFileURL } from 'node:url';
import { useKafka, type KafkaConnection } from '@kstreams/kafka-broker';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';
import { startKstreamsPipe } from './pipeline-kstreams.js';
import { startRawKafkajsPipe, type PipeRun, type RunningPipe } from './pipeline-raw-kafkajs.js';
import { countRecords, createTopic, expectedOutputRecords, produceInput, VALUE_BYTES, type PipelineWorkload } from './pipeline-workload.js';

const { logLevel } = kafkajs;

const RECORDS = isShortMode ? 20_000 : 1_000_000;
const PARTITIONS = 8;
const MEASURED_RUNS = 3;
const COMMIT_INTERVAL_MS = 5_000;
const RUN_TIMEOUT_MS = isShortMode ? 60_000 : 600_000;

interface Contender {
  readonly name: string;
  start(run: PipeRun): Promise<RunningPipe>;
}

const CONTENDERS: readonly Contender[] = [
  { name: 'raw-kafkajs', start: startRawKafkajsPipe },
  { name: 'kstreams', start: startKstreamsPipe },
];

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * One run of one contender: records/s from the moment it owns its partitions until the output
 * topic holds every expected record. Throws when the output count differs after the stop.
 */
async function measure(contender: Contender, context: { kafka: Kafka; admin: Admin; brokers: string[]; workload: PipelineWorkload }, label: string): Promise<number> {
  const { kafka, admin, brokers, workload } = context;
  const suffix = `${contender.name}-${label.replaceAll(" ", "-")}-${Date.now().toString(36)}`;
  const outputTopic = `pipeline-output-${suffix}`;
  await createTopic(admin, outputTopic, workload.partitions);
  const expected = expectedOutputRecords(workload.records);
  const pipe = await contender.start({ kafka, brokers, inputTopic: workload.inputTopic, outputTopic, groupId: `pipeline-${suffix}`, commitIntervalMs: COMMIT_INTERVAL_MS });
  let written = 0;
  let startedAt: number;
  let finishedAt: number;
  try {
    startedAt = await pipe.assigned;
    const deadline = startedAt + RUN_TIMEOUT_MS;
    while ((written = await countRecords(admin, outputTopic)) < expected) {
      if (Date.now() > deadline) throw new Error(`${contender.name} ${label}: only ${written} of ${expected} records written after ${RUN_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    finishedAt = Date.now();
  } finally {
    await pipe.stop();
  }
  written = await countRecords(admin, outputTopic);
  if (written !== expected) throw new Error(`${contender.name} ${label}: wrote ${written} records, expected exactly ${expected}`);
  await admin.deleteTopics({ topics: [outputTopic] }).catch(() => undefined);
  const recordsPerSecond = workload.records / ((finishedAt - startedAt) / 1000);
  log(`  ${contender.name.padEnd(12)} ${label.padEnd(8)} ${Math.round(recordsPerSecond).toLocaleString('en-US').padStart(10)} records/s (${finishedAt - startedAt} ms, ${written} out)`);
  return recordsPerSecond;
}

/** Runs the pipeline benchmark against a broker it starts (or KAFKA_BROKERS) and writes its results. */
export async function runPipelineBenchmark(): Promise<BenchmarkResult[]> {
  const connection = await useKafka();
  try {
    return await benchmarkOn(connection);
  } finally {
    await connection.close();
  }
}

async function benchmarkOn(connection: KafkaConnection): Promise<BenchmarkResult[]> {
  const brokers = connection.brokers;
  const kafka = new kafkajs.Kafka({ clientId: 'pipeline-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const workload: PipelineWorkload = { inputTopic: `pipeline-input-${Date.now().toString(36)}`, records: RECORDS, partitions: PARTITIONS };
    await createTopic(admin, workload.inputTopic, PARTITIONS);
    const producedAt = Date.now();
    await produceInput(kafka, workload);
    log(`pipeline: ${RECORDS.toLocaleString('en-US')} records of ${VALUE_BYTES} B over ${PARTITIONS} partitions produced in ${Date.now() - producedAt} ms`);

    const context = { kafka, admin, brokers, workload };
    for (const contender of CONTENDERS) await measure(contender, context, 'warm-up');
    const runs = new Map<string, number[]>(CONTENDERS.map((contender) => [contender.name, []]));
    for (let round = 0; round < MEASURED_RUNS; round++) {
      // Alternate who goes first, so drift on a shared machine hits both alike.
      const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
      for (const contender of order) runs.get(contender.name)?.push(await measure(contender, context, `run ${round + 1}`));
    }
    await admin.deleteTopics({ topics: [workload.inputTopic] }).catch(() => undefined);
    return [
      writeResult({
        benchmark: 'pipeline',
        unit: 'records/s',
        config: {
          records: RECORDS,
          valueBytes: VALUE_BYTES,
          partitions: PARTITIONS,
          workload: 'filter (drop 10 %) + map (upper-case) consume → produce, at-least-once',
          commitIntervalMs: COMMIT_INTERVAL_MS,
          measuredRuns: MEASURED_RUNS,
          broker: connection.cluster === undefined ? 'KAFKA_BROKERS' : 'local single node',
        },
        contenders: CONTENDERS.map((contender) => summarise(contender.name, runs.get(contender.name) ?? [])).reverse(),
        baseline: 'raw-kafkajs',
      }),
    ];
  } finally {
    await admin.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runPipelineBenchmark().then(
    ([result]) => {
      log(`pipeline ratios: ${JSON.stringify(result?.ratios)}`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`pipeline benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
