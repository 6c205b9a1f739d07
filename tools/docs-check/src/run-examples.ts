import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One example module to run, in its own working directory. */
export interface ExampleRun {
  readonly id: string;
  readonly file: string;
  readonly cwd: string;
}

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const runnerScript = fileURLToPath(new URL('./example-runner.ts', import.meta.url));

/**
 * Runs the example modules one after the other in one child process (tsx, the `source`
 * condition, so workspace packages run from their sources). Returns the error of each example
 * that threw, rejected or did not finish within `timeoutMs`, by id.
 */
export async function runExamples(runs: readonly ExampleRun[], options: { workDir: string; timeoutMs: number }): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  if (runs.length === 0) return failures;
  const jobsFile = join(options.workDir, 'jobs.json');
  const resultsFile = join(options.workDir, 'results.json');
  writeFileSync(jobsFile, JSON.stringify(runs));
  const output = await runChild([jobsFile, resultsFile, String(options.timeoutMs)], options.timeoutMs * runs.length + 30_000);
  const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { id: string; error?: string }[]) : [];
  const finished = new Set(results.map((result) => result.id));
  for (const result of results) if (result.error !== undefined) failures.set(result.id, result.error);
  const unfinished = runs.find((run) => !finished.has(run.id));
  if (unfinished !== undefined) failures.set(unfinished.id, `the example runner stopped during this example. Its output:\n${output.slice(-2_000)}`);
  return failures;
}

function runChild(args: readonly string[], killAfterMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', runnerScript, ...args], { cwd: packageDirectory, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-10_000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('close', () => {
      clearTimeout(killer);
      resolve(output);
    });
  });
}
