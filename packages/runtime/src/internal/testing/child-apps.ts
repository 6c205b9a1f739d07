/**
 * Child processes of the integration tests: a testing app of this folder run with tsx on the
 * sources (as `node --import tsx --conditions source <script> <args>`), and the ways to end one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** How a child app is run. */
export interface ChildAppOptions {
  /** Extra environment variables (added to this process's). */
  readonly env?: Readonly<Record<string, string>>;
  /** `pipe` keeps stdout readable; default `pipe`. stderr is always piped. */
  readonly stdout?: 'pipe' | 'ignore';
}

/** Starts `script` (a file name in internal/testing/) with `args`. */
export function spawnChildApp(script: string, args: readonly string[], options: ChildAppOptions = {}): ChildProcess {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', path, ...args], {
    cwd: repositoryRoot,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
}

/**
 * Starts `script` and resolves once `ready` holds for the tail of its stdout; rejects with its
 * stderr when it exits first. `onStarted` receives the child at once (for the test's cleanup).
 */
export function spawnReadyChildApp(script: string, args: readonly string[], ready: (output: string) => boolean, options: ChildAppOptions & { onStarted?: (child: ChildProcess) => void } = {}): Promise<ChildProcess> {
  const child = spawnChildApp(script, args, options);
  options.onStarted?.(child);
  let output = '';
  let errors = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200);
      if (ready(output)) resolve(child);
    });
    // 'close' comes after the child's output is read, so the error message carries its last words.
    child.on('close', (code) => reject(new Error(`the child app ${script} exited early (${code}): ${errors}`)));
  });
}

/** Sends `signal` (after a SIGCONT, in case the child is stopped) and resolves once the child has exited. */
export function signalAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGCONT');
    child.kill(signal);
  });
}

/** kill -9, waiting for the exit. */
export function killHard(child: ChildProcess): Promise<void> {
  return signalAndWait(child, 'SIGKILL');
}

/** A clean stop (SIGTERM: the child apps close their KafkaStreams), waiting for the exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  return signalAndWait(child, 'SIGTERM');
}
