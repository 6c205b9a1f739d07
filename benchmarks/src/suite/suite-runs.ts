/**
 * One measured run of one contender on one workload, and the W5 restore run that follows a W3
 * run. Every run gets a fresh application id (so a fresh consumer group, changelog and output
 * topic) and a fresh state directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { countRecords, createTopic } from '../pipeline-workload.js';
import type { AppRun } from './app-protocol.js';
import { ContenderProcess, type ContenderCommand } from './contender-process.js';
import { deleteTopicsStartingWith, firstDifference, readLatestPerKey } from './topic-tools.js';
import { describeAggregate, expectedAggregates, expectedCounts, expectedStatelessOutput, type Workload } from './workloads.js';
import { isShortMode } from '../bench-results.js';

/** A contender of the suite: its name and how to start it for a run. */
export interface SuiteContender {
  readonly name: string;
  command(run: AppRun): ContenderCommand;
}

/** What the suite needs to run anything. */
export interface SuiteContext {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly bootstrap: string;
  /** The pre-filled input topic of each input shape, by name. */
  readonly inputTopics: ReadonlyMap<string, string>;
}

/** The figures of one run; `rejected` set means the contender refused the configuration. */
export interface RunMeasurement {
  readonly rejected?: string;
  readonly recordsPerSecondFromRunning: number;
  readonly recordsPerSecondFromStart: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  /** Kept for the W5 run that follows a W3 run. */
  readonly appRun: AppRun;
}

const RUN_TIMEOUT_MS = isShortMode ? 120_000 : 900_000;
const START_TIMEOUT_MS = 180_000;

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** The AppRun of a fresh run of `contender` on `workload`. */
export function freshRun(context: SuiteContext, workload: Workload, contender: SuiteContender, label: string): AppRun {
  const applicationId = `suite-${workload.name}-${contender.name}-${label}-${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9._-]/g, '-');
  return {
    topology: workload.topology,
    bootstrap: context.bootstrap,
    input: context.inputTopics.get(workload.input.name) ?? '',
    output: `${applicationId}-output`,
    applicationId,
    stateDir: mkdtempSync(join(tmpdir(), 'suite-state-')),
    commitMs: workload.commitIntervalMs,
    guarantee: workload.guarantee,
    partitions: workload.input.partitions,
    records: workload.input.records,
  };
}

/**
 * Runs `contender` once on `workload`: from spawn to RUNNING to the end (W1: every kept record
 * in the output topic; stateful workloads: the last input record processed), then a clean close.
 * With `verify`, the output is checked against the expected result per key.
 */
export async function measureRun(context: SuiteContext, workload: Workload, contender: SuiteContender, options: { label: string; verify: boolean; keepState: boolean }): Promise<RunMeasurement> {
  const run = freshRun(context, workload, contender, options.label);
  await createTopic(context.admin, run.output, workload.input.partitions);
  const app = new ContenderProcess(contender.name, contender.command(run));
  try {
    const started = await app.waitFor(['running', 'rejected'], START_TIMEOUT_MS);
    if (started.event === 'rejected') {
      await app.stop().catch(() => undefined);
      log(`  ${contender.name.padEnd(20)} ${options.label.padEnd(8)} rejected: ${started.message}`);
      return { rejected: started.message, recordsPerSecondFromRunning: 0, recordsPerSecondFromStart: 0, cpuSeconds: 0, peakRssMb: 0, appRun: run };
    }
    await app.waitFor(['processed'], RUN_TIMEOUT_MS);
    if (workload.topology === 'w1') await waitForOutput(context.admin, run.output, expectedStatelessOutput(workload.input.records), app);
    const endedAt = Date.now();
    const exit = await app.stop();
    if (options.verify) await verifyOutput(context, workload, run.output);
    const records = workload.input.records;
    const measurement = {
      recordsPerSecondFromRunning: records / ((endedAt - started.at) / 1000),
      recordsPerSecondFromStart: records / ((endedAt - app.spawnedAt) / 1000),
      cpuSeconds: exit.cpuSeconds,
      peakRssMb: exit.peakRssMb,
      appRun: run,
    };
    log(
      `  ${contender.name.padEnd(20)} ${options.label.padEnd(8)} ${Math.round(measurement.recordsPerSecondFromRunning).toLocaleString('en-US').padStart(9)} rec/s from RUNNING, ` +
        `${Math.round(measurement.recordsPerSecondFromStart).toLocaleString('en-US').padStart(9)} from start, ${exit.cpuSeconds.toFixed(1)} CPU-s, ${Math.round(exit.peakRssMb)} MiB${options.verify ? ', output verified' : ''}`,
    );
    return measurement;
  } finally {
    app.kill();
    if (!options.keepState) await discardRun(context, run);
  }
}

/** Removes a run's state directory and topics. */
export async function discardRun(context: SuiteContext, run: AppRun): Promise<void> {
  rmSync(run.stateDir, { recursive: true, force: true });
  await deleteTopicsStartingWith(context.admin, run.applicationId);
}

/** The figures of one W5 run. */
export interface RestoreMeasurement {
  readonly restoredRecords: number;
  readonly recordsPerSecond: number;
  /** Process start to the end of restoration, seconds. */
  readonly resumeSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/**
 * W5: wipes the local state of a finished W3 run and restarts the same application: restoration
 * from the changelog, timed by the contender's restore listener.
 */
export async function measureRestore(context: SuiteContext, contender: SuiteContender, previous: AppRun, label: string): Promise<RestoreMeasurement> {
  rmSync(previous.stateDir, { recursive: true, force: true });
  const app = new ContenderProcess(contender.name, contender.command({ ...previous, records: -1 }));
  try {
    const restored = await app.waitFor(['restored'], RUN_TIMEOUT_MS);
    const exit = await app.stop();
    const measurement = {
      restoredRecords: restored.records,
      recordsPerSecond: restored.records / (Math.max(1, restored.at - restored.startedAt) / 1000),
      resumeSeconds: (restored.at - app.spawnedAt) / 1000,
      cpuSeconds: exit.cpuSeconds,
      peakRssMb: exit.peakRssMb,
    };
    log(
      `  ${contender.name.padEnd(20)} ${label.padEnd(8)} restored ${restored.records.toLocaleString('en-US')} records at ${Math.round(measurement.recordsPerSecond).toLocaleString('en-US')} rec/s, ` +
        `resumed ${measurement.resumeSeconds.toFixed(1)} s after start, ${exit.cpuSeconds.toFixed(1)} CPU-s, ${Math.round(exit.peakRssMb)} MiB`,
    );
    return measurement;
  } finally {
    app.kill();
    await discardRun(context, previous);
  }
}

async function waitForOutput(admin: Admin, topic: string, expected: number, app: ContenderProcess): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let written = 0;
  while ((written = await countRecords(admin, topic)) < expected) {
    if (Date.now() > deadline) throw new Error(`${app.name}: only ${written} of ${expected} records in ${topic} after ${RUN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Checks a finished run's output: W1 the exact record count, W2/W4 every count, W3 every count and sum. */
async function verifyOutput(context: SuiteContext, workload: Workload, output: string): Promise<void> {
  let difference: string | undefined;
  if (workload.topology === 'w1') {
    const written = await countRecords(context.admin, output);
    const expected = expectedStatelessOutput(workload.input.records);
    if (written !== expected) difference = `${written} records, expected ${expected}`;
  } else if (workload.topology === 'w2') {
    const counts = await readLatestPerKey(context.kafka, context.admin, output, (value) => Number(value.readBigInt64BE(0)));
    difference = firstDifference(expectedCounts(workload.input), counts);
  } else {
    const aggregates = await readLatestPerKey(context.kafka, context.admin, output, describeAggregate);
    difference = firstDifference(expectedAggregates(workload.input), aggregates);
  }
  if (difference !== undefined) throw new Error(`${workload.name}: the output topic ${output} is wrong: ${difference}`);
}
