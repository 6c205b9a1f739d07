import { closeSync, mkdirSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskCorruptedError } from '@kstreams/core';
import { lmdbBackend } from './lmdb-backend.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

const PAGE = 4096;
const backend = lmdbBackend();

/** Overwrites `length` bytes of `path` at `position` with `fill`. */
function overwrite(path: string, position: number, length: number, fill: number): void {
  const descriptor = openSync(path, 'r+');
  try {
    writeSync(descriptor, Buffer.alloc(length, fill), 0, length, position);
  } finally {
    closeSync(descriptor);
  }
}

function corruptionOf(action: () => unknown): TaskCorruptedError {
  try {
    action();
  } catch (error) {
    if (error instanceof TaskCorruptedError) return error;
    throw new Error(`expected a TaskCorruptedError, got ${String(error)}`);
  }
  throw new Error('expected a TaskCorruptedError, nothing was thrown');
}

describe('LMDB store damage surfaces as TaskCorruptedError', () => {
  const task = temporaryTaskDirectory();
  let dataFile: string;
  const open = () => backend.openStore(locationOf('sums', task.directory));

  beforeEach(async () => {
    const store = open();
    store.putAll(Array.from({ length: 5_000 }, (_, index) => ({ key: Buffer.from(`key-${String(index).padStart(6, '0')}`), value: Buffer.alloc(100, index % 256) })));
    await store.close();
    dataFile = join(task.directory, 'sums', 'data.mdb');
  });
  afterEach(() => task.remove());

  /** The damage is reported with store and path, says what happens next, and a wiped store opens empty. */
  async function expectCorrupted(reason: RegExp): Promise<void> {
    const error = corruptionOf(open);
    expect(error.message).toMatch(new RegExp(`^State store "sums" (is corrupted: ${dataFile}|at ${join(task.directory, 'sums')} cannot be read)`));
    expect(error.message).toMatch(reason);
    expect(error.message).toMatch(/The runtime wipes the task's state and restores it from the changelog\.$/);
    expect(error.message).not.toMatch(/Delete/);
    rmSync(join(task.directory, 'sums'), { recursive: true, force: true });
    const wiped = open();
    expect([...wiped.range()]).toEqual([]);
    await wiped.close();
  }

  it('reports a zero-length data.mdb', async () => {
    truncateSync(dataFile, 0);
    await expectCorrupted(/is empty \(0 bytes\)/);
  });

  it('reports a data.mdb truncated in the middle', async () => {
    truncateSync(dataFile, Math.floor(statSync(dataFile).size / 2));
    await expectCorrupted(/is truncated \(\d+ bytes, expected at least \d+\)/);
  });

  it('reports a data.mdb cut inside its first meta page', async () => {
    truncateSync(dataFile, 100);
    await expectCorrupted(/has no valid LMDB header/);
  });

  it('reports an overwritten header (first meta page), the rest of the file intact', async () => {
    overwrite(dataFile, 0, PAGE, 0x5a);
    await expectCorrupted(/has no valid LMDB header/);
  });

  it('reports an overwritten second meta page', async () => {
    overwrite(dataFile, PAGE, PAGE, 0x00);
    await expectCorrupted(/has a damaged second meta page/);
  });

  it('reports a directory in place of data.mdb', async () => {
    rmSync(dataFile);
    mkdirSync(dataFile);
    await expectCorrupted(/cannot be read \(Error: EISDIR/);
  });

  it('reports damaged data pages when a scan reaches them', async () => {
    overwrite(dataFile, 3 * PAGE, 20 * PAGE, 0x77);
    const store = open();
    const error = corruptionOf(() => [...store.range()]);
    expect(error.message).toMatch(/^State store "sums" at .* cannot be read: MDB_(PAGE_NOTFOUND|CORRUPTED)/);
    await store.close();
  });

  it('lets a garbage lock.mdb be rebuilt by LMDB (no data lives there)', async () => {
    writeFileSync(join(task.directory, 'sums', 'lock.mdb'), Buffer.alloc(2 * PAGE, 0x33));
    const store = open();
    expect(store.approximateNumEntries()).toBe(5_000);
    await store.close();
  });
});

describe('lmdbBackend.hasStoredData', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());

  it('is false before a store is written and after its data.mdb is deleted, true in between', async () => {
    expect(backend.hasStoredData?.(locationOf('counts', task.directory))).toBe(false);
    const store = backend.openStore(locationOf('counts', task.directory));
    await store.close();
    expect(backend.hasStoredData?.(locationOf('counts', task.directory))).toBe(true);
    rmSync(join(task.directory, 'counts', 'data.mdb'));
    expect(backend.hasStoredData?.(locationOf('counts', task.directory))).toBe(false);
  });

  it('looks at the store directory of a window store, whose segments are sub-databases', async () => {
    const segment = backend.openStore(locationOf('windows.1000', task.directory));
    segment.put(Buffer.from('k'), Buffer.from('v'));
    await segment.close();
    expect(backend.hasStoredData?.(locationOf('windows', task.directory))).toBe(true);
  });
});
