import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyAllCrashInstances } from './internal/testing/crash-instances.js';
import { formatCrashCheck } from './internal/testing/crash-output-check.js';
import { runCrashSuite, type CrashSuiteResult } from './internal/testing/crash-suite.js';
import { integrationBrokers, uniqueName } from './internal/testing/integration-kafka.js';
import { StreamsConfig, type ProcessingGuarantee } from './streams-config.js';

/**
 * The kill -9 crash suite. Short by default (20,000 records, 3 kills, for CI); `CRASH_FULL=1`
 * runs 200,000 records with 10 kills (20 under exactly-once). `CRASH_GUARANTEE` picks the
 * processing guarantee (default `at_least_once`); `CRASH_SEED` replays a run's choices;
 * `CRASH_KEEP=1` keeps the instance logs and state directories (they are kept when the test fails);
 * `CRASH_LOG_LEVEL=info` makes the instances log their assignments and restores there.
 */
const full = process.env['CRASH_FULL'] === '1';
const guarantee = (process.env['CRASH_GUARANTEE'] ?? 'at_least_once') as ProcessingGuarantee;
const exactlyOnce = guarantee !== 'at_least_once';
const seed = Number(process.env['CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const plan = full
  ? { records: 200_000, kills: exactlyOnce ? 20 : 10, produceDurationMs: exactlyOnce ? 400_000 : 240_000, settleTimeoutMs: 300_000, testTimeoutMs: 1_500_000 }
  : { records: 20_000, kills: 3, produceDurationMs: 40_000, settleTimeoutMs: 120_000, testTimeoutMs: 300_000 };

let workDir: string | undefined;
afterEach(async (context) => {
  await destroyAllCrashInstances();
  if (workDir === undefined) return;
  if (context.task.result?.state === 'fail' || process.env['CRASH_KEEP'] === '1') console.log(`crash suite: instance logs and state kept in ${workDir}`);
  else await rm(workDir, { recursive: true, force: true });
  workDir = undefined;
});

function logLevel(level: string): 'error' | 'warn' | 'info' | 'debug' {
  if (level === 'error' || level === 'warn' || level === 'info' || level === 'debug') return level;
  throw new Error(`CRASH_LOG_LEVEL must be error, warn, info or debug, got "${level}".`);
}

function report(result: CrashSuiteResult): string {
  const phases = new Map<string, number>();
  for (const kill of result.kills) phases.set(kill.phase, (phases.get(kill.phase) ?? 0) + 1);
  return [
    `crash suite (${guarantee}, ${full ? 'full' : 'short'}, seed ${seed}): ${result.kills.length} kills (${[...phases].map(([phase, count]) => `${count} during ${phase}`).join(', ')}) in ${(result.durationMs / 1000).toFixed(0)} s`,
    formatCrashCheck(result.check),
    `${'unexpected exits'.padEnd(30)} ${result.unexpectedExits.length}`,
    ...result.unexpectedExits,
    `${'tasks without a checkpoint'.padEnd(30)} ${result.uncheckpointedTasks.join(', ') || 'none'}`,
  ].join('\n');
}

describe(`kill -9 crash suite under ${guarantee}`, () => {
  it(`3 instances keep every one of ${plan.records} records through ${plan.kills} random SIGKILLs, and report duplicates and wrong sums`, async () => {
    // A guarantee the runtime refuses fails here, with its ConfigError, not in three crash-looping children.
    new StreamsConfig({ applicationId: 'crash-suite', bootstrapServers: integrationBrokers(), processingGuarantee: guarantee });
    workDir = await mkdtemp(join(tmpdir(), 'kstreams-crash-'));
    const result = await runCrashSuite({
      brokers: integrationBrokers(),
      processingGuarantee: guarantee,
      applicationId: uniqueName('crash'),
      workDir,
      seed,
      records: plan.records,
      kills: plan.kills,
      produceDurationMs: plan.produceDurationMs,
      settleTimeoutMs: plan.settleTimeoutMs,
      logLevel: logLevel(process.env['CRASH_LOG_LEVEL'] ?? 'warn'),
      log: (line) => console.log(`crash suite: ${line}`),
    });
    console.log(report(result));

    expect(result.inputRecords).toBe(plan.records);
    expect(result.kills).toHaveLength(plan.kills);
    expect(result.check.lost).toBe(0);
    expect(result.unexpectedExits).toEqual([]);
    expect(result.uncheckpointedTasks).toEqual([]);
    if (exactlyOnce) {
      expect(result.check.duplicated).toBe(0);
      expect(result.check.wrongOutputSums).toBe(0);
      expect(result.check.wrongStoreSums).toBe(0);
      expect(result.check.wrongChangelogSums).toBe(0);
    }
  }, plan.testTimeoutMs);
});
