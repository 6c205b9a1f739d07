import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True when a process with this pid exists and is not a zombie. (A zombie, e.g. a broker
 * whose parent never reaped it, answers signal 0 but is already dead.)
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): signal 0 is the best answer there is
  }
}

/** The command line of a process (Linux `/proc`), or `undefined` when it cannot be read. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Waits until the process is gone; false when it is still alive after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Options of {@link terminate}. */
export interface TerminateOptions {
  /** How long SIGTERM (a clean shutdown) may take before SIGKILL. */
  timeoutMs: number;
  /** Skip SIGTERM and kill at once (simulates a crash). */
  kill?: boolean;
}

/** SIGTERM, then SIGKILL after the timeout; resolves once the process is really gone. */
export async function terminate(pid: number, options: TerminateOptions): Promise<void> {
  if (!isAlive(pid)) return;
  if (options.kill !== true) {
    signal(pid, 'SIGTERM');
    if (await waitForExit(pid, options.timeoutMs)) return;
  }
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
}
