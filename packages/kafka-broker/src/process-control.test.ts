import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive, terminate } from './process-control.js';

/** A node process that idles; with `ignoreTerm` it shrugs off SIGTERM like a hung broker. */
function idleProcess(ignoreTerm = false): Promise<number> {
  const source = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); process.stdout.write('up');`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve) => child.stdout.once('data', () => resolve(child.pid as number)));
}

describe('terminate', () => {
  it('stops a process with SIGTERM and resolves once it is gone', async () => {
    const pid = await idleProcess();
    expect(isAlive(pid)).toBe(true);
    await terminate(pid, { timeoutMs: 5_000 });
    expect(isAlive(pid)).toBe(false);
  });

  it('falls back to SIGKILL when SIGTERM is ignored past the timeout', async () => {
    const pid = await idleProcess(true);
    const started = Date.now();
    await terminate(pid, { timeoutMs: 300 });
    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('kills at once when asked to', async () => {
    const pid = await idleProcess(true);
    const started = Date.now();
    await terminate(pid, { timeoutMs: 60_000, kill: true });
    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
