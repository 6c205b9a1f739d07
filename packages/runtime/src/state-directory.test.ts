import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OffsetCheckpointFile } from '@kstreams/changelog';
import { noopLogger, StreamsError } from '@kstreams/core';
import { PROCESS_METADATA_FILE_NAME } from './process-metadata-file.js';
import { PROCESS_LOCK_FILE_NAME, StateDirectory } from './state-directory.js';

describe('StateDirectory', () => {
  let stateDir: string;
  const opened: StateDirectory[] = [];
  const directory = (processId: string, applicationId = 'app'): StateDirectory => {
    const created = new StateDirectory({ stateDir, applicationId, processId, logger: noopLogger });
    opened.push(created);
    return created;
  };
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'kstreams-state-directory-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((each) => each.unlock()));
    chmodSync(stateDir, 0o755);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('persists the process id in kafka-streams-process-metadata, so a restarted instance keeps it', async () => {
    const first = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const state = directory(first);
    await state.lock();
    const processFile = join(stateDir, 'app', PROCESS_METADATA_FILE_NAME);
    expect(JSON.parse(readFileSync(processFile, 'utf8'))).toEqual({ processId: first });
    await state.unlock();
    const restarted = directory('6fa459ea-ee8a-3ca4-894e-db77e160355e');
    expect(restarted.processId).toBe('6fa459ea-ee8a-3ca4-894e-db77e160355e');
    await restarted.lock();
    expect(restarted.processId).toBe(first);
    expect(JSON.parse(readFileSync(join(stateDir, 'app', PROCESS_LOCK_FILE_NAME), 'utf8'))).toEqual({ pid: process.pid, processId: first });
  });

  it('replaces an unreadable process file with the fresh process id, and reads Java\'s file with extra fields', async () => {
    mkdirSync(join(stateDir, 'app'), { recursive: true });
    const processFile = join(stateDir, 'app', PROCESS_METADATA_FILE_NAME);
    writeFileSync(processFile, 'not json');
    const fresh = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const state = directory(fresh);
    await state.lock();
    expect(state.processId).toBe(fresh);
    expect(JSON.parse(readFileSync(processFile, 'utf8'))).toEqual({ processId: fresh });
    await state.unlock();
    writeFileSync(processFile, JSON.stringify({ processId: '6fa459ea-ee8a-3ca4-894e-db77e160355e', newerField: 1 }));
    const next = directory(fresh);
    await next.lock();
    expect(next.processId).toBe('6fa459ea-ee8a-3ca4-894e-db77e160355e');
  });

  it('creates <stateDir>/<applicationId> and writes the pid and process id into its lock file', async () => {
    const state = directory('process-a');
    await state.lock();
    const lockFile = join(stateDir, 'app', PROCESS_LOCK_FILE_NAME);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual({ pid: process.pid, processId: 'process-a' });
    expect(state.taskDirectory('0_3')).toBe(join(stateDir, 'app', '0_3'));
    await state.unlock();
    await state.unlock();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a second instance in the same process, naming the directory', async () => {
    await directory('process-a').lock();
    const second = directory('process-b');
    await expect(second.lock()).rejects.toThrow(StreamsError);
    await expect(second.lock()).rejects.toThrow(
      new RegExp(`State directory ${join(stateDir, 'app')} is locked by another KafkaStreams instance in this process \\(processId process-a\\).*Two KafkaStreams instances cannot share a stateDir`),
    );
  });

  it('lets another application id use the same stateDir, and a second instance lock after the first unlocks', async () => {
    const first = directory('process-a');
    await first.lock();
    await directory('process-b', 'other-app').lock();
    await first.unlock();
    await directory('process-c').lock();
  });

  it('takes over a lock left by a dead process', async () => {
    mkdirSync(join(stateDir, 'app'));
    const lockFile = join(stateDir, 'app', PROCESS_LOCK_FILE_NAME);
    writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 17, processId: 'crashed' }));
    await directory('process-a').lock();
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ processId: 'process-a' });
  });

  it('names the file in the way when stateDir is a file (ENOTDIR)', async () => {
    const file = join(stateDir, 'not-a-directory');
    writeFileSync(file, 'x');
    const state = new StateDirectory({ stateDir: file, applicationId: 'app', processId: 'a', logger: noopLogger });
    await expect(state.lock()).rejects.toThrow(
      `State directory ${join(file, 'app')} cannot be created: ${file} is a file, not a directory (ENOTDIR). Set stateDir to a directory`,
    );
  });

  it('names the application directory when a file has its name', async () => {
    writeFileSync(join(stateDir, 'app'), 'x');
    await expect(directory('a').lock()).rejects.toThrow(`${join(stateDir, 'app')} is a file, not a directory (EEXIST)`);
  });

  it('says a read-only state directory is not writable', async () => {
    // Permission bits do not bind root; sysfs is read-only for everyone.
    const readOnly = process.getuid?.() === 0 ? '/sys' : stateDir;
    if (readOnly === stateDir) chmodSync(stateDir, 0o555);
    const state = new StateDirectory({ stateDir: readOnly, applicationId: 'kstreams-test-app', processId: 'a', logger: noopLogger });
    await expect(state.lock()).rejects.toThrow(
      new RegExp(`State directory ${join(readOnly, 'kstreams-test-app')} is not writable \\((EACCES|EPERM|EROFS): .*\\)\\. Give the user running kstreams write access`),
    );
  });

  it('gives a task lock to one owner at a time, re-entrant for that owner', () => {
    const state = directory('a');
    expect(state.tryLockTask('0_1', 'thread-1')).toBe(true);
    expect(state.tryLockTask('0_1', 'thread-1')).toBe(true);
    expect(state.tryLockTask('0_1', 'thread-2')).toBe(false);
    expect(state.taskLockOwner('0_1')).toBe('thread-1');
    state.unlockTask('0_1', 'thread-2');
    expect(state.taskLockOwner('0_1')).toBe('thread-1');
    state.unlockTask('0_1', 'thread-1');
    expect(state.taskLockOwner('0_1')).toBeUndefined();
    expect(state.tryLockTask('0_1', 'thread-2')).toBe(true);
    expect(state.tryLockTask('0_2', 'thread-1')).toBe(true);
  });

  it('lists the task directories on disk with their checkpoints, and wipes one', async () => {
    const state = directory('a');
    await state.lock();
    await OffsetCheckpointFile.inTaskDirectory(state.taskDirectory('0_1')).write([{ topic: 'app-counts-changelog', partition: 1, offset: 41 }]);
    mkdirSync(state.taskDirectory('1_0'));
    mkdirSync(state.taskDirectory('0_2'));
    writeFileSync(join(state.taskDirectory('0_2'), '.checkpoint'), 'garbage');
    mkdirSync(join(stateDir, 'app', 'not-a-task'));
    const tasks = await state.tasksOnDisk();
    expect(new Map([...tasks].sort())).toEqual(
      new Map([
        ['0_1', [{ topic: 'app-counts-changelog', partition: 1, offset: 41 }]],
        ['0_2', []],
        ['1_0', []],
      ]),
    );
    await state.wipeTask('0_1');
    expect(existsSync(state.taskDirectory('0_1'))).toBe(false);
    expect([...(await state.tasksOnDisk()).keys()].sort()).toEqual(['0_2', '1_0']);
  });

  it('cleans task directories that nobody locks and that were not modified for the delay', async () => {
    const state = directory('a');
    await state.lock();
    for (const taskId of ['0_0', '0_1', '0_2']) mkdirSync(state.taskDirectory(taskId));
    const old = new Date(Date.now() - 20 * 60_000);
    utimesSync(state.taskDirectory('0_0'), old, old);
    utimesSync(state.taskDirectory('0_1'), old, old);
    expect(state.tryLockTask('0_1', 'thread-1')).toBe(true);
    expect(await state.cleanRemovedTasks(10 * 60_000)).toEqual(['0_0']);
    expect([existsSync(state.taskDirectory('0_0')), existsSync(state.taskDirectory('0_1')), existsSync(state.taskDirectory('0_2'))]).toEqual([false, true, true]);
    expect(state.taskLockOwner('0_1')).toBe('thread-1');
    expect(state.tryLockTask('0_0', 'thread-2')).toBe(true);
  });
});
