import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliState } from './cli-state.js';
import { isAlive, terminate } from './process-control.js';

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));

/** Runs the real CLI (from source, through tsx) in its own process. */
function cli(stateFile: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'src/cli.ts', ...args],
      { cwd: packageDirectory, env: { ...process.env, KSTREAMS_KAFKA_STATE: stateFile }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

describe('kstreams-kafka', () => {
  let directory: string;
  let state: CliState | undefined;

  afterAll(async () => {
    for (const node of state?.nodes ?? []) await terminate(node.pid, { timeoutMs: 5_000 });
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it('starts a broker that outlives the command, reports it, and stops it with its data', async () => {
    directory = await mkdtemp(join(tmpdir(), 'kstreams-kafka-cli-'));
    const stateFile = join(directory, 'state.json');

    const started = await cli(stateFile, 'start');
    expect(started.code, started.stderr).toBe(0);
    const brokers = started.stdout.trim();
    expect(brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    state = JSON.parse(await readFile(stateFile, 'utf8')) as CliState;
    const pid = state.nodes[0]?.pid as number;
    expect(isAlive(pid)).toBe(true);

    const admin = new kafkajs.Kafka({ brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers).toHaveLength(1);
    await admin.disconnect();

    const status = await cli(stateFile, 'status');
    expect(status).toMatchObject({ code: 0, stdout: expect.stringContaining(`running ${brokers}`) });
    expect((await cli(stateFile, 'start')).stderr).toContain('already runs');

    expect((await cli(stateFile, 'stop')).code).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(state.dataDirectory)).toBe(false);
    expect(existsSync(stateFile)).toBe(false);
    expect(await cli(stateFile, 'status')).toMatchObject({ code: 3, stdout: 'stopped\n' });
  });
});
