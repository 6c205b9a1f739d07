import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { createTopics, runMain } from 'kstreams-sample-kit';
import { produceEvents } from './produce-events.js';
import { startUserProfiles } from './user-profiles-app.js';

const events = Number(process.env['PROFILES_EVENTS'] ?? 1_000_000);
const users = Number(process.env['PROFILES_USERS'] ?? 50_000);
const partitions = Number(process.env['PROFILES_PARTITIONS'] ?? 4);
const runs = Number(process.env['PROFILES_RUNS'] ?? 3);
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');

/**
 * `npm run throughput` (in apps/user-profiles): the load generator and the measurement. Writes
 * PROFILES_EVENTS events (default 1M, v1 and v2) over PROFILES_USERS users (default 50k) to a
 * fresh topic, then PROFILES_RUNS times (default 3) starts the app under a fresh application id
 * and times the fold of all of them: events/s = events that reached the fold / wall time from
 * RUNNING to the last one. Prints each run with the load average and the median, and writes
 * `results/throughput.json`.
 */
async function main(): Promise<void> {
  await using kafka = await useKafka();
  const run = Date.now().toString(36);
  const topics = { events: `profile-events-tp-${run}`, profiles: `user-profiles-tp-${run}`, deadLetters: `profile-events-dlq-tp-${run}` };
  const client = new kafkajs.Kafka({ clientId: 'profiles-load', brokers: [...kafka.brokers], logLevel: kafkajs.logLevel.NOTHING });
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-user-profiles-tp-'));
  const plan = { users, events };
  const base = Date.now() - events;
  const admin = client.admin();
  await admin.connect();
  await createTopics(admin, [{ topic: topics.events, partitions }]).finally(() => admin.disconnect());
  const produceStarted = Date.now();
  await produceEvents(client, { topic: topics.events, plan, timestampOf: (index) => base + index });
  log(`Wrote ${events} events (${users} users, ${partitions} partitions) in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s.`);
  const measured: Measurement[] = [];
  for (let round = 1; round <= runs; round++) {
    // Each round is a full replay: a fresh application id folds the same log from the start.
    const measurement = await measureFold({ brokers: kafka.brokers, applicationId: `user-profiles-tp-${run}-${round}`, topics: { ...topics, profiles: `${topics.profiles}-${round}` }, stateDir, partitions });
    measured.push(measurement);
    log(`Run ${round}/${runs}: ${measurement.fromRunning} events/s from RUNNING (${measurement.fromStart} from start), CPU ${measurement.cpuSeconds} s (${measurement.perCpuSecond} events per CPU-second); load average ${measurement.loadBefore} -> ${measurement.loadAfter}.`);
  }
  rmSync(stateDir, { recursive: true, force: true });
  const median = (values: number[]): number => values.sort((left, right) => left - right)[Math.floor(values.length / 2)] as number;
  const result = {
    benchmark: 'user-profiles-fold',
    unit: 'events/s',
    command: 'bash scripts/pnpm.sh --filter @kstreams/user-profiles-sample run throughput',
    config: { events, users, partitions, runs, commitIntervalMs: 30_000, guarantee: 'at_least_once', store: 'lmdb, cached, changelogged', cacheMiB: 64, nodeFlags: process.execArgv.filter((flag) => flag.startsWith('--max')) },
    medianEventsPerSecondFromRunning: median(measured.map((entry) => entry.fromRunning)),
    medianEventsPerCpuSecond: median(measured.map((entry) => entry.perCpuSecond)),
    runs: measured,
    machine: { cpus: cpus().length, node: process.version },
    measuredAt: new Date().toISOString(),
  };
  log(`Median of ${runs}: ${result.medianEventsPerSecondFromRunning} events/s from RUNNING, ${result.medianEventsPerCpuSecond} events per CPU-second.`);
  const folder = join(import.meta.dirname, '..', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
}

/** One timed fold of the whole events topic. */
interface Measurement {
  readonly fromRunning: number;
  readonly fromStart: number;
  readonly cpuSeconds: number;
  /** What one core sustains: the figure a shared, loaded machine cannot hide. */
  readonly perCpuSecond: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

async function measureFold(options: Parameters<typeof startUserProfiles>[0]): Promise<Measurement> {
  const loadBefore = load();
  const cpuBefore = process.cpuUsage();
  let runningAt = 0;
  const started = Date.now();
  const app = await startUserProfiles({ ...options, commitIntervalMs: 30_000 });
  app.streams.onStateChange((next) => void (next === 'RUNNING' && runningAt === 0 && (runningAt = Date.now())));
  try {
    await app.waitForProcessed(events, 30 * 60_000);
    const finished = Date.now();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      fromRunning: Math.round(events / ((finished - (runningAt || started)) / 1000)),
      fromStart: Math.round(events / ((finished - started) / 1000)),
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      perCpuSecond: Math.round(events / cpuSeconds),
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await app.close();
  }
}

runMain('user-profiles throughput', main);
