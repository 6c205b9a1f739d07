import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, TaskCorruptedError } from '@kstreams/core';
import { lmdbBackend } from './lmdb-backend.js';
import { hex, locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

describe('lmdbBackend', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());
  const backend = lmdbBackend();

  it('describes itself as the persistent lmdb backend', () => {
    expect(backend.kind).toBe('lmdb');
    expect(backend.persistent).toBe(true);
  });

  it('keeps a store in <taskDir>/<store> and its data across close and reopen', async () => {
    const store = backend.openStore(locationOf('counts', task.directory));
    store.put(hex('01'), Buffer.from('one'));
    await store.close();
    expect(readdirSync(join(task.directory, 'counts')).sort()).toEqual(['data.mdb', 'lock.mdb']);
    const reopened = backend.openStore(locationOf('counts', task.directory));
    expect(Buffer.from(reopened.get(hex('01')) ?? []).toString()).toBe('one');
    await reopened.close();
  });

  it('requires a state directory', () => {
    const location = { name: 'counts', directory: undefined, applicationId: 'app', taskId: '0_1' };
    expect(() => backend.openStore(location)).toThrow(ConfigError);
    expect(() => backend.openStore(location)).toThrow(/"counts" of task 0_1 needs a state directory/);
  });

  it('keeps segments as sub-databases of the store directory and drops one whole on destroy', async () => {
    const first = backend.openStore(locationOf('windows.1000', task.directory));
    const second = backend.openStore(locationOf('windows.2000', task.directory));
    first.put(hex('01'), Buffer.from('a'));
    second.put(hex('01'), Buffer.from('b'));
    first.flush();
    second.flush();
    expect(readdirSync(task.directory)).toEqual(['windows']);
    await first.destroy();
    expect(first.isOpen).toBe(false);
    expect(Buffer.from(second.get(hex('01')) ?? []).toString()).toBe('b');
    await second.close();
    const recreated = backend.openStore(locationOf('windows.1000', task.directory));
    expect([...recreated.range()]).toEqual([]);
    await recreated.destroy();
    expect(existsSync(join(task.directory, 'windows'))).toBe(true);
  });

  it('deletes the store directory on destroy once it holds no store', async () => {
    const store = backend.openStore(locationOf('scratch', task.directory));
    store.put(hex('01'), Buffer.from('x'));
    await store.destroy();
    expect(existsSync(join(task.directory, 'scratch'))).toBe(false);
  });

  it('reports damaged store files as a TaskCorruptedError naming store and path', async () => {
    const store = backend.openStore(locationOf('broken', task.directory));
    store.put(hex('01'), Buffer.from('x'));
    await store.close();
    const dataFile = join(task.directory, 'broken', 'data.mdb');
    writeFileSync(dataFile, Buffer.alloc(20_000, 0x5a));
    expect(() => backend.openStore(locationOf('broken', task.directory))).toThrow(TaskCorruptedError);
    expect(() => backend.openStore(locationOf('broken', task.directory))).toThrow(
      new RegExp(`"broken" is corrupted: ${dataFile} has no valid LMDB header`),
    );
    // The failed open released its lock: fixing the directory lets the store open again.
    writeFileSync(dataFile, '');
  });

  it('reports a truncated data file as corrupted', async () => {
    const store = backend.openStore(locationOf('cut', task.directory));
    store.putAll(Array.from({ length: 2_000 }, (_, index) => ({ key: Buffer.from(`key-${index}`), value: Buffer.alloc(100) })));
    await store.close();
    const dataFile = join(task.directory, 'cut', 'data.mdb');
    const { truncateSync } = await import('node:fs');
    truncateSync(dataFile, 3 * 4096);
    expect(() => backend.openStore(locationOf('cut', task.directory))).toThrow(/is truncated/);
  });
});
