import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { runMain } from 'kstreams-sample-kit';
import { produceEvents } from './produce-events.js';
import { startUserProfiles } from './user-profiles-app.js';

const events = Number(process.env['PROFILES_EVENTS'] ?? 1_000_000);
const users = Number(process.env['PROFILES_USERS'] ?? 50_000);
const partitions = Number(process.env['PROFILES_PARTITIONS'] ?? 4);
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');

/**
 * `npm run throughput` (in apps/user-profiles): the load generator and the measurement. Writes
 * PROFILES_EVENTS events (default 1M, v1 and v2) over PROFILES_USERS users (default 50k) to a
 * fresh topic, then starts the app and times the fold of all of them: events/s = events that
 * reached the fold / wall time from RUNNING to the last one. Prints the figure with the load
 * average and writes `results/throughput.json`.
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
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.events, numPartitions: partitions, replicationFactor: -1 }] });
  await admin.disconnect();
  const produceStarted = Date.now();
  await produceEvents(client, { topic: topics.events, plan, timestampOf: (index) => base + index });
  log(`Wrote ${events} events (${users} users, ${partitions} partitions) in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s.`);
  const loadBefore = load();
  const cpuBefore = process.cpuUsage();
  let runningAt = 0;
  const started = Date.now();
  const app = await startUserProfiles({ brokers: kafka.brokers, applicationId: `user-profiles-tp-${run}`, topics, stateDir, partitions, commitIntervalMs: 30_000 });
  app.streams.onStateChange((next) => void (next === 'RUNNING' && runningAt === 0 && (runningAt = Date.now())));
  try {
    await app.waitForProcessed(events, 30 * 60_000);
    const finished = Date.now();
    const cpu = process.cpuUsage(cpuBefore);
    const fromRunning = events / ((finished - (runningAt || started)) / 1000);
    const fromStart = events / ((finished - started) / 1000);
    const result = {
      benchmark: 'user-profiles-fold',
      unit: 'events/s',
      command: 'bash scripts/pnpm.sh --filter @kstreams/user-profiles-sample run throughput',
      config: { events, users, partitions, commitIntervalMs: 30_000, guarantee: 'at_least_once', store: 'lmdb, cached, changelogged' },
      eventsPerSecondFromRunning: Math.round(fromRunning),
      eventsPerSecondFromStart: Math.round(fromStart),
      appCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      machine: { cpus: cpus().length, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: load() },
      measuredAt: new Date().toISOString(),
    };
    log(`Folded ${events} events: ${result.eventsPerSecondFromRunning} events/s from RUNNING (${result.eventsPerSecondFromStart} from start), CPU ${result.appCpuSeconds} s; load average before ${loadBefore}, after ${result.machine.loadAverageAfter}.`);
    const folder = join(import.meta.dirname, '..', 'results');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await app.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

runMain('user-profiles throughput', main);
