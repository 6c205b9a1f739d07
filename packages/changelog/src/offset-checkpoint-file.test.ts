import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskCorruptedError } from '@kstreams/core';
import { CorruptedCheckpointError } from './corrupted-checkpoint-error.js';
import { OffsetCheckpointFile } from './offset-checkpoint-file.js';

describe('OffsetCheckpointFile', () => {
  let stateDirectory: string;
  let taskDirectory: string;
  beforeEach(() => {
    stateDirectory = mkdtempSync(join(tmpdir(), 'kstreams-checkpoint-'));
    taskDirectory = join(stateDirectory, 'app', '0_1');
  });
  afterEach(() => rmSync(stateDirectory, { recursive: true, force: true }));

  it('reads undefined when the task has no checkpoint', async () => {
    expect(await OffsetCheckpointFile.inTaskDirectory(taskDirectory).read()).toBeUndefined();
  });

  it('writes <taskDir>/.checkpoint and reads the offsets back', async () => {
    const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
    await checkpoint.write([{ topic: 'app-counts-changelog', partition: 1, offset: 99 }]);
    expect(readFileSync(join(taskDirectory, '.checkpoint'), 'utf8')).toBe('0\n1\napp-counts-changelog 1 99\n');
    expect(await checkpoint.read()).toEqual([{ topic: 'app-counts-changelog', partition: 1, offset: 99 }]);
  });

  it('replaces the previous checkpoint and leaves no temporary file', async () => {
    const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
    await checkpoint.write([{ topic: 't', partition: 0, offset: 1 }]);
    await checkpoint.write([{ topic: 't', partition: 0, offset: 2 }]);
    expect(await checkpoint.read()).toEqual([{ topic: 't', partition: 0, offset: 2 }]);
    expect(readdirSync(taskDirectory)).toEqual(['.checkpoint']);
  });

  it('ignores a temporary file left behind by a crash during a write', async () => {
    const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
    await checkpoint.write([{ topic: 't', partition: 0, offset: 10 }]);
    writeFileSync(join(taskDirectory, '.checkpoint.tmp'), '0\n1\nt 0 2');
    expect(await checkpoint.read()).toEqual([{ topic: 't', partition: 0, offset: 10 }]);
    await checkpoint.write([{ topic: 't', partition: 0, offset: 11 }]);
    expect(await checkpoint.read()).toEqual([{ topic: 't', partition: 0, offset: 11 }]);
  });

  it('reports a corrupted file as a task-corrupted error naming the file', async () => {
    const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
    await checkpoint.write([]);
    writeFileSync(checkpoint.path, '7\n0\n');
    const error = await checkpoint.read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptedCheckpointError);
    expect(error).toBeInstanceOf(TaskCorruptedError);
    expect((error as Error).message).toContain(checkpoint.path);
    expect((error as Error).message).toContain('unknown version');
  });

  it('deletes the checkpoint and its temporary file', async () => {
    const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
    await checkpoint.write([{ topic: 't', partition: 0, offset: 1 }]);
    writeFileSync(`${checkpoint.path}.tmp`, 'partial');
    await checkpoint.delete();
    expect(readdirSync(taskDirectory)).toEqual([]);
    expect(await checkpoint.read()).toBeUndefined();
  });
});
