import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./child-store-process.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Starts the child store process in `mode` and resolves once its output satisfies `ready`.
 * The caller kills it (`child.kill('SIGKILL')`).
 */
export function spawnChild(
  mode: 'write' | 'hold',
  directory: string,
  ready: (output: string) => boolean,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', script, mode, directory], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready(output)) resolve({ child, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${errors}`)));
  });
}

/** Kills `child` with SIGKILL and waits until it is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
