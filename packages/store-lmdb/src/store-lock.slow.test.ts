import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lmdbBackend } from './lmdb-backend.js';
import { StoreLockError } from './store-lock-error.js';
import { killHard, spawnChild } from './test-support/spawn-child.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

describe('LMDB store lock across processes', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());
  const backend = lmdbBackend();

  it('refuses a store that another live process holds, naming the lock file, and takes it over once that process dies', async () => {
    const { child } = await spawnChild('hold', task.directory, (text) => text.includes('open'));
    const lockPath = join(task.directory, 'held', 'kstreams.lock');
    try {
      expect(() => backend.openStore(locationOf('held', task.directory))).toThrow(StoreLockError);
      expect(() => backend.openStore(locationOf('held', task.directory))).toThrow(
        new RegExp(`locked by process ${child.pid} \\(lock file ${lockPath}\\)`),
      );
    } finally {
      await killHard(child);
    }
    const store = backend.openStore(locationOf('held', task.directory));
    expect(store.isOpen).toBe(true);
    await store.close();
    expect(existsSync(lockPath)).toBe(false);
  }, 15_000);
});
