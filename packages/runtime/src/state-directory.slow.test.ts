import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noopLogger } from '@kstreams/core';
import { StateDirectory } from './state-directory.js';

const childScript = fileURLToPath(new URL('./internal/testing/state-directory-child.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

function startLockingChild(stateDir: string, applicationId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', childScript, stateDir, applicationId], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve(child));
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${errors}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('StateDirectory across processes', () => {
  let stateDir: string;
  const opened: StateDirectory[] = [];
  const directory = (processId: string): StateDirectory => {
    const created = new StateDirectory({ stateDir, applicationId: 'app', processId, logger: noopLogger });
    opened.push(created);
    return created;
  };
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'kstreams-state-directory-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((each) => each.unlock()));
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses while a live child process holds the lock, and takes it once the child is killed', async () => {
    const child = await startLockingChild(stateDir, 'app');
    try {
      await expect(directory('process-a').lock()).rejects.toThrow(new RegExp(`is locked by process ${child.pid} \\(processId child-process\\)`));
    } finally {
      await stopChild(child);
    }
    await directory('process-a').lock();
  }, 30_000);
});
