/**
 * The side-by-side suite (issue 12): Java Kafka Streams, kstreams and (W1) the raw kafkajs pipe on
 * the workloads of shared/design/BENCHMARKS.md, against one broker the suite starts. Each input
 * is written once; every run is its own process with a fresh application id; a warm-up of each
 * contender (whose output is checked per key), then alternating rounds, medians with min/max.
 * Records/s from RUNNING (the headline) and from process start, CPU seconds and peak RSS of the
 * contender's process. W5 restores each W3 run's state after wiping it.
 *
 * `pnpm --filter @kstreams/benchmarks run bench:suite`; `BENCH_SHORT=1` for the CI mode (20k
 * records, one round, no warm-up, results in results/short/); `BENCH_RECORDS=N` for another size;
 * `BENCH_ONLY=<benchmark>,...` for some of them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { useKafka, type KafkaConnection } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { isShortMode, summarise, writeResult, type BenchmarkResult, type ContenderResult } from '../bench-results.js';
import { createTopic } from '../pipeline-workload.js';
import { runCeilingBenchmark } from './ceiling-bench.js';
import { compileSuiteContenders, type CompiledContenders } from './contender-build.js';
import { javaCommand, nodeCommand } from './contender-process.js';
import { measureLatency, type LatencyMeasurement } from './latency-run.js';
import { buildJavaContender } from './java-contender-build.js';
import { discardRun, measureRestore, measureRun, type RestoreMeasurement, type RunMeasurement, type SuiteContender, type SuiteContext } from './suite-runs.js';
import { writeSummary } from './summary-table.js';
import { produceSuiteInput } from './topic-tools.js';
import { W1, W2, W2B, W3, W4, W4_ALPHA, type Workload } from './workloads.js';

const MEASURED_ROUNDS = isShortMode ? 1 : 3;
const WARM_UP = !isShortMode;
const JAVA = 'java-kafka-streams';
const KSTREAMS = 'kstreams';
const RAW = 'raw-kafkajs';
const KSTREAMS_ALPHA = 'kstreams-exactly-once';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** `BENCH_ONLY=w1-stateless,w4-latency` runs only those benchmarks (the summary keeps the others' last results). */
const only = (process.env['BENCH_ONLY'] ?? '').split(',').filter((name) => name !== '');
const selected = (benchmark: string): boolean => only.length === 0 || only.includes(benchmark);

let javaVersion: string | undefined;
let commit: string | undefined;

/** The machine while the suite ran: the load is what makes absolute numbers move; ratios are what count. */
function machine(loadBefore: readonly number[]): Record<string, unknown> {
  javaVersion ??= /java\.version = (\S+)/.exec(spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' }).stderr)?.[1] ?? 'unknown';
  commit ??= spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  return {
    commit,
    java: javaVersion,
    kstreamsContenders: 'compiled JavaScript (esbuild bundle in benchmarks/dist/suite/, plain node, no tsx)',
    loadAverageAtStart: loadBefore.map((value) => Math.round(value * 100) / 100),
    loadAverageNow: loadavg().map((value) => Math.round(value * 100) / 100),
    uptime: execFileSync('uptime', { encoding: 'utf8' }).trim(),
  };
}

interface Collected {
  fromRunning: number[];
  fromStart: number[];
  cpuSeconds: number[];
  peakRssMb: number[];
  rejected?: string;
}

function contenderResult(name: string, collected: Collected, records: number): ContenderResult & Record<string, unknown> {
  const median = (values: number[]): number => summarise('', values).median;
  return {
    ...summarise(name, collected.fromRunning),
    ...(collected.rejected === undefined ? {} : { rejected: collected.rejected }),
    recordsPerSecondFromStart: summarise(name, collected.fromStart).median,
    recordsPerSecondFromStartRuns: collected.fromStart.map(Math.round),
    cpuSeconds: Math.round(median(collected.cpuSeconds) * 10) / 10,
    cpuSecondsPer1M: Math.round((median(collected.cpuSeconds) / records) * 1e6 * 10) / 10,
    peakRssMb: Math.round(median(collected.peakRssMb)),
    peakRssMbMax: Math.round(Math.max(0, ...collected.peakRssMb)),
  };
}

/** Runs one workload (and W5 after W3) for every contender; returns its result (two after W3). */
async function benchmarkWorkload(context: SuiteContext, workload: Workload, contenders: readonly SuiteContender[], machineInfo: () => Record<string, unknown>): Promise<BenchmarkResult[]> {
  log(`${workload.name}: ${workload.title}; ${workload.input.records.toLocaleString('en-US')} records`);
  const restoring = workload === W3;
  const collected = new Map<string, Collected>(contenders.map((contender) => [contender.name, { fromRunning: [], fromStart: [], cpuSeconds: [], peakRssMb: [] }]));
  const restores = new Map<string, RestoreMeasurement[]>(contenders.map((contender) => [contender.name, []]));
  const once = async (contender: SuiteContender, label: string, verify: boolean, record: boolean): Promise<void> => {
    const measurement: RunMeasurement = await measureRun(context, workload, contender, { label, verify, keepState: restoring });
    if (restoring && measurement.rejected === undefined) {
      const restore = await measureRestore(context, contender, measurement.appRun, label);
      if (record) restores.get(contender.name)?.push(restore);
    } else if (restoring) {
      await discardRun(context, measurement.appRun);
    }
    if (!record) return;
    const into = collected.get(contender.name)!;
    if (measurement.rejected !== undefined) into.rejected = measurement.rejected;
    into.fromRunning.push(measurement.recordsPerSecondFromRunning);
    into.fromStart.push(measurement.recordsPerSecondFromStart);
    into.cpuSeconds.push(measurement.cpuSeconds);
    into.peakRssMb.push(measurement.peakRssMb);
  };
  if (WARM_UP) for (const contender of contenders) await once(contender, 'warm-up', true, false);
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    // Alternate who goes first, so drift on a shared machine hits every contender alike.
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) await once(contender, `run ${round + 1}`, !WARM_UP, true);
  }
  const records = workload.input.records;
  const config = {
    records,
    valueBytes: workload.input.valueBytes,
    keys: workload.input.keys,
    partitions: workload.input.partitions,
    commitIntervalMs: workload.commitIntervalMs,
    processingGuarantee: workload.guarantee,
    workload: workload.title,
    measuredRuns: MEASURED_ROUNDS,
    headline: 'records/s from the contender reaching RUNNING to the end (W1: every kept record in the output topic; otherwise: the last input record processed); recordsPerSecondFromStart counts from process spawn',
    recordsNote: records < 5_000_000 && !isShortMode ? `${records.toLocaleString('en-US')} records instead of BENCHMARKS.md's 5M: a full 5M run of every workload takes too long on this shared 2-core machine` : undefined,
    cpuAndMemory: 'CPU seconds (utime + stime from /proc/self/stat) and peak RSS (VmHWM) of the contender process at exit, reported by the process itself; medians over the measured runs',
  };
  const results = [
    writeResult({
      benchmark: workload.name,
      unit: 'records/s',
      config,
      contenders: contenders.map((contender) => contenderResult(contender.name, collected.get(contender.name)!, records)),
      baseline: JAVA,
      ratioPairs: contenders.some((contender) => contender.name === RAW) ? [[KSTREAMS, RAW]] : [],
      machine: machineInfo(),
    }),
  ];
  if (restoring) results.push(restoreResult(restores, machineInfo()));
  return results;
}

function restoreResult(restores: ReadonlyMap<string, RestoreMeasurement[]>, machineInfo: Record<string, unknown>): BenchmarkResult {
  // A W3 changelog record: a key of up to 11 bytes and the 272-byte aggregate (count, sum, last 256 B value).
  const changelogRecordBytes = 11 + 16 + 256;
  return writeResult({
    benchmark: 'w5-restore',
    unit: 'records/s',
    config: {
      workload: "W5: after each W3 run, wipe the local state directory and restart the same application; restore rate from the contender's own restore listener (first onRestoreStart to the last onRestoreEnd)",
      measuredRuns: MEASURED_ROUNDS,
      changelogRecordBytes,
    },
    contenders: [...restores].map(([name, runs]) => {
      const median = (values: number[]): number => summarise('', values).median;
      const rate = summarise(name, runs.map((run) => run.recordsPerSecond));
      return {
        ...rate,
        restoredRecords: median(runs.map((run) => run.restoredRecords)),
        megabytesPerSecond: Math.round(((rate.median * changelogRecordBytes) / 1e6) * 10) / 10,
        resumeSeconds: Math.round(median(runs.map((run) => run.resumeSeconds)) * 10) / 10,
        resumeSecondsRuns: runs.map((run) => Math.round(run.resumeSeconds * 10) / 10),
        cpuSeconds: Math.round(median(runs.map((run) => run.cpuSeconds)) * 10) / 10,
        peakRssMb: Math.round(median(runs.map((run) => run.peakRssMb))),
      };
    }),
    baseline: JAVA,
    machine: machineInfo,
  });
}

const LATENCY_RATE = 5_000;
const LATENCY_SECONDS = isShortMode ? 3 : 20;

/** W4's latency: p99 (the headline) and p50 end-to-end under exactly-once at a steady 5k records/s. */
async function latencyBenchmark(context: SuiteContext, contenders: readonly SuiteContender[], machineInfo: () => Record<string, unknown>): Promise<BenchmarkResult> {
  log(`w4-latency: ${W4.title}, steady ${LATENCY_RATE.toLocaleString('en-US')} records/s for ${LATENCY_SECONDS} s`);
  const runs = new Map<string, LatencyMeasurement[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = 0; round < MEASURED_ROUNDS; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) runs.get(contender.name)?.push(await measureLatency(context, W4, contender, { label: `run ${round + 1}`, ratePerSecond: LATENCY_RATE, seconds: LATENCY_SECONDS }));
  }
  return writeResult({
    benchmark: 'w4-latency',
    unit: 'ms (p99 end-to-end latency)',
    higherIsBetter: false,
    config: {
      workload: `${W4.title}: input written at a steady rate, latency = the output record's visibility to a read_committed consumer minus its input create timestamp (the count update carries the timestamp of the latest input record)`,
      ratePerSecond: LATENCY_RATE,
      seconds: LATENCY_SECONDS,
      measuredRuns: MEASURED_ROUNDS,
    },
    contenders: [...runs].map(([name, measurements]) => {
      const rejected = measurements.find((measurement) => measurement.rejected !== undefined)?.rejected;
      return {
        ...summarise(name, measurements.map((measurement) => measurement.p99Ms)),
        ...(rejected === undefined ? {} : { rejected }),
        p50Ms: summarise(name, measurements.map((measurement) => measurement.p50Ms)).median,
        outputRecords: measurements.map((measurement) => measurement.outputRecords),
      };
    }),
    baseline: JAVA,
    machine: machineInfo(),
  });
}

/** Runs the whole suite against a broker it starts (or KAFKA_BROKERS) and writes every result. */
export async function runSideBySideBenchmark(): Promise<BenchmarkResult[]> {
  const loadBefore = loadavg();
  const builtAt = Date.now();
  const java = await buildJavaContender();
  log(`suite: Java contender ready in ${Date.now() - builtAt} ms (${java.directory})`);
  const compiledAt = Date.now();
  const compiled = await compileSuiteContenders();
  log(`suite: kstreams contenders compiled to JavaScript in ${Date.now() - compiledAt} ms (${compiled.kstreamsApp}, ${compiled.rawKafkajsApp})`);
  const connection = await useKafka();
  try {
    return await suiteOn(connection, java.classPath, compiled, () => machine(loadBefore));
  } finally {
    await connection.close();
  }
}

async function suiteOn(connection: KafkaConnection, classPath: string, compiled: CompiledContenders, machineInfo: () => Record<string, unknown>): Promise<BenchmarkResult[]> {
  const kafka = new kafkajs.Kafka({ clientId: 'suite', brokers: connection.brokers, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const bootstrap = connection.brokers.join(',');
    const results: BenchmarkResult[] = [];
    if (selected('w0-ceiling')) results.push(await runCeilingBenchmark({ admin, bootstrap, classPath, machine: machineInfo }));
    const throughputWorkloads = [W1, W2, W2B, W3, W4].filter((workload) => selected(workload.name) || (workload === W3 && selected('w5-restore')));
    // Only when named: the per-task-producer model next to exactly_once_v2.
    if (only.includes(W4_ALPHA.name)) throughputWorkloads.push(W4_ALPHA);
    const inputTopics = new Map<string, string>();
    for (const workload of throughputWorkloads) {
      if (inputTopics.has(workload.input.name)) continue;
      const topic = `suite-input-${workload.input.name}-${Date.now().toString(36)}`;
      await createTopic(admin, topic, workload.input.partitions);
      const producedAt = Date.now();
      await produceSuiteInput(kafka, topic, workload.input);
      log(`suite: input "${workload.input.name}" (${workload.input.records.toLocaleString('en-US')} × ${workload.input.valueBytes} B, ${workload.input.keys.toLocaleString('en-US')} keys) written in ${Date.now() - producedAt} ms`);
      inputTopics.set(workload.input.name, topic);
    }
    const context: SuiteContext = { kafka, admin, bootstrap, inputTopics };
    const javaContender: SuiteContender = { name: JAVA, command: (run) => javaCommand(classPath, run) };
    const kstreamsContender: SuiteContender = { name: KSTREAMS, command: (run) => nodeCommand(compiled.kstreamsApp, run) };
    const rawContender: SuiteContender = { name: RAW, command: (run) => nodeCommand(compiled.rawKafkajsApp, run) };
    const kstreamsAlphaContender: SuiteContender = { name: KSTREAMS_ALPHA, command: (run) => nodeCommand(compiled.kstreamsApp, { ...run, guarantee: 'exactly_once' }) };
    for (const workload of throughputWorkloads) {
      const contenders = workload === W1 ? [javaContender, kstreamsContender, rawContender] : workload === W4_ALPHA ? [javaContender, kstreamsContender, kstreamsAlphaContender] : [javaContender, kstreamsContender];
      results.push(...(await benchmarkWorkload(context, workload, contenders, machineInfo)));
    }
    if (selected('w4-latency')) results.push(await latencyBenchmark(context, [javaContender, kstreamsContender], machineInfo));
    await admin.deleteTopics({ topics: [...inputTopics.values()] }).catch(() => undefined);
    writeSummary();
    return results;
  } finally {
    await admin.disconnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSideBySideBenchmark().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`side-by-side suite failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
