import { createRequire } from "node:module"; const require = createRequire(import.meta.url);
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { afterEach, describe, expect, it } from 'vitest';

const appScript = fileURLToPath(new URL('./test-support/missing-sink-app.ts', import.meta.url));
const appDirectory = fileURLToPath(new URL('..', import.meta.url));
const stateDirs: string[] = [];
afterEach(() => {
  for (const directory of stateDirs.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Runs the app in its own process (default logger, so nothing is configured to print) until it exits. */
function runApp(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', appScript, ...args], { cwd: appDirectory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

describe('an app whose sink topic is missing', () => {
  it('ends in ERROR, prints the error naming the topic to stderr with the default logger, and exits with code 1', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'missing-sink-'));
    stateDirs.push(stateDir);
    const wordCounts = uniqueTopicName('missing-word-counts');
    const args = [testBrokers().join(','), uniqueTopicName('missing-sink-app'), uniqueTopicName('sentences'), uniqueTopicName('words'), wordCounts, stateDir];

    const { code, stderr } = await runApp(args);

    require("node:fs").writeFileSync("/tmp/newcomer-stderr.txt", stderr);
    expect(code).toBe(1);
    const errorLines = stderr.split('\n').filter((line) => / ERROR /.test(line));
    expect(errorLines.some((line) => line.includes(`Topic "${wordCounts}" does not exist`))).toBe(true);
    expect(errorLines.some((line) => line.includes('stream-client [') && line.includes('shutting this client down'))).toBe(true);
    expect(stderr).toContain(`missing-sink-app failed: Error: KafkaStreams "${args[1]}" stopped in state ERROR. caused by:`);
  }, 120_000);
});
