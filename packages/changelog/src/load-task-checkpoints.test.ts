import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint-format.js';
import { loadTaskCheckpoints } from './load-task-checkpoints.js';
import { OffsetCheckpointFile } from './offset-checkpoint-file.js';

describe('loadTaskCheckpoints', () => {
  let directory: string;
  let file: OffsetCheckpointFile;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kstreams-task-checkpoints-'));
    file = OffsetCheckpointFile.inTaskDirectory(directory);
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('returns the checkpointed offsets by changelog partition', async () => {
    await file.write([{ topic: 'app-counts-changelog', partition: 2, offset: 17 }]);
    expect(await loadTaskCheckpoints(file, { exactlyOnce: false })).toEqual({
      checkpoints: new Map([['app-counts-changelog-2', 17]]),
      wipeStores: false,
      reason: 'checkpoint-loaded',
    });
    expect(existsSync(file.path)).toBe(true);
  });

  it('restores from the beginning without wiping when there is no checkpoint at least once', async () => {
    expect(await loadTaskCheckpoints(file, { exactlyOnce: false })).toEqual({ checkpoints: new Map(), wipeStores: false, reason: 'no-checkpoint' });
  });

  it('wipes the stores when there is no checkpoint under exactly-once', async () => {
    expect((await loadTaskCheckpoints(file, { exactlyOnce: true })).wipeStores).toBe(true);
  });

  it('deletes the checkpoint once loaded under exactly-once, so a crash before the next commit wipes', async () => {
    await file.write([{ topic: 't', partition: 0, offset: 3 }]);
    expect((await loadTaskCheckpoints(file, { exactlyOnce: true })).checkpoints.get('t-0')).toBe(3);
    expect(existsSync(file.path)).toBe(false);
    expect((await loadTaskCheckpoints(file, { exactlyOnce: true })).reason).toBe('no-checkpoint-under-exactly-once');
  });

  it('wipes the stores and deletes a corrupted checkpoint', async () => {
    writeFileSync(file.path, '0\n3\nt 0 1\n');
    expect(await loadTaskCheckpoints(file, { exactlyOnce: false })).toEqual({ checkpoints: new Map(), wipeStores: true, reason: 'corrupted-checkpoint' });
    expect(existsSync(file.path)).toBe(false);
  });

  const wiped = { checkpoints: new Map(), wipeStores: true, reason: 'corrupted-checkpoint' };
  const valid = formatCheckpoint([
    { topic: 'app-counts-changelog', partition: 1, offset: 1234 },
    { topic: 'app-sums-changelog', partition: 1, offset: 987 },
  ]);

  it.each([
    ['random bytes', randomBytes(64)],
    ['a zero-length file', ''],
    ['a wrong version', valid.replace(/^0\n/, '1\n')],
    ['a negative offset', valid.replace(' 987\n', ' -987\n')],
    ['a wrong entry count', valid.replace(/^0\n2\n/, '0\n3\n')],
  ])('wipes the stores and deletes the checkpoint on %s', async (_shape, content) => {
    writeFileSync(file.path, content);
    expect(await loadTaskCheckpoints(file, { exactlyOnce: false })).toEqual(wiped);
    expect(existsSync(file.path)).toBe(false);
  });

  it('wipes on every truncation of a valid checkpoint, down to each byte', async () => {
    for (let length = 0; length < valid.length; length++) {
      writeFileSync(file.path, valid.slice(0, length));
      expect(await loadTaskCheckpoints(file, { exactlyOnce: false }), `cut at ${length} bytes`).toEqual(wiped);
    }
    writeFileSync(file.path, valid);
    expect((await loadTaskCheckpoints(file, { exactlyOnce: false })).reason).toBe('checkpoint-loaded');
  });
});
