import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, terminate, waitForExit } from './process-control.js';
import { spawnWatchdog } from './watchdog.js';

function idleProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid as number;
}

describe('spawnWatchdog', () => {
  it('kills the broker and removes its data directory when the parent process dies', async () => {
    const parent = idleProcess();
    const broker = idleProcess();
    const directory = await mkdtemp(join(tmpdir(), 'watchdog-'));
    const watchdog = spawnWatchdog({ brokerPid: broker, parentPid: parent, removeDirectory: directory, stopTimeoutMs: 2_000 });
    try {
      await terminate(parent, { timeoutMs: 1_000, kill: true });
      expect(await waitForExit(broker, 4_000)).toBe(true);
      await expect.poll(() => existsSync(directory), { timeout: 2_000 }).toBe(false);
      expect(await waitForExit(watchdog as number, 2_000)).toBe(true);
    } finally {
      await terminate(broker, { timeoutMs: 100, kill: true });
    }
  });

  it('exits on its own, leaving the parent alone, once the broker stops', async () => {
    const parent = idleProcess();
    const broker = idleProcess();
    const watchdog = spawnWatchdog({ brokerPid: broker, parentPid: parent, stopTimeoutMs: 2_000 });
    try {
      await terminate(broker, { timeoutMs: 1_000 });
      expect(await waitForExit(watchdog as number, 3_000)).toBe(true);
      expect(isAlive(parent)).toBe(true);
    } finally {
      await terminate(parent, { timeoutMs: 100, kill: true });
    }
  });
});
