import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lmdbBackend } from './lmdb-backend.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

describe('LMDB store lock', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());
  const backend = lmdbBackend();

  it('refuses a second open of the same store in one process and allows it after close', async () => {
    const first = backend.openStore(locationOf('twice', task.directory));
    expect(() => backend.openStore(locationOf('twice', task.directory))).toThrow(/"twice" at .*twice is already open/);
    await first.close();
    const second = backend.openStore(locationOf('twice', task.directory));
    await second.close();
  });

  it('ignores a stale lock file left by a dead process', async () => {
    const first = backend.openStore(locationOf('stale', task.directory));
    await first.close();
    writeFileSync(join(task.directory, 'stale', 'kstreams.lock'), '999999999\n');
    const store = backend.openStore(locationOf('stale', task.directory));
    expect(store.isOpen).toBe(true);
    await store.close();
  });
});
