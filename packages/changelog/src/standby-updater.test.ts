import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryBackend } from '@kstreams/store-memory';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { StandbyUpdater } from './standby-updater.js';
import type { StateRestoreListener } from './state-restore-listener.js';
import { StoreChangelogReader } from './store-changelog-reader.js';
import { InMemoryChangelog } from './testing/in-memory-changelog.js';
import { bytes, openStore } from './testing/store-fixture.js';

const changelog = { topic: 'app-counts-changelog', partition: 2 };
const key = 'app-counts-changelog-2';

describe('StandbyUpdater', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('tails the changelog into the store and advances its checkpoint offsets', async () => {
    const log = new InMemoryChangelog();
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const standby = new StandbyUpdater({ taskId: '0_2', reader: log, stores: [fixture.logged] });
    expect(await standby.poll()).toBe(0);
    expect(standby.checkpointOffsets()).toEqual(new Map());
    log.append(changelog, bytes('a'), bytes('1'));
    log.appendTransaction(changelog, [{ key: bytes('b'), value: bytes('aborted') }], 'abort');
    log.append(changelog, bytes('c'), bytes('3'));
    expect(await standby.poll()).toBe(2);
    expect(fixture.entries()).toEqual([['a', '1'], ['c', '3']]);
    expect(standby.checkpointEntries()).toEqual([{ ...changelog, offset: 3 }]);
    log.append(changelog, bytes('a'), null);
    expect(await standby.poll()).toBe(1);
    expect(fixture.entries()).toEqual([['c', '3']]);
    expect(standby.recordsApplied()).toBe(3);
  });

  it('does not advance its checkpoint when applying a batch fails', async () => {
    const log = new InMemoryChangelog();
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    let failing = true;
    const store = { ...fixture.logged, restoreCallback: (records: Parameters<typeof fixture.logged.restoreCallback>[0]) => {
      if (failing) throw new Error('disk full');
      fixture.logged.restoreCallback(records);
    } };
    const standby = new StandbyUpdater({ taskId: '0_2', reader: log, stores: [store], checkpoints: new Map([[key, 0]]) });
    log.append(changelog, bytes('a'), bytes('1'));
    log.append(changelog, bytes('b'), bytes('2'));
    await expect(standby.poll()).rejects.toThrow(/disk full/);
    expect(standby.checkpointEntries()).toEqual([{ ...changelog, offset: 0 }]);
    failing = false;
    expect(await standby.poll()).toBe(1);
    expect(standby.checkpointEntries()).toEqual([{ ...changelog, offset: 1 }]);
  });

  it('starts after its checkpoint and keeps it until it reads', () => {
    const log = new InMemoryChangelog();
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const standby = new StandbyUpdater({ taskId: '0_2', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 41]]) });
    expect(standby.checkpointOffsets()).toEqual(new Map([[key, 41]]));
  });

  it('wipes the store when its checkpoint is outside the changelog', async () => {
    const log = new InMemoryChangelog();
    for (let index = 0; index < 4; index++) log.append(changelog, bytes(`k${index}`), bytes('v'));
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    fixture.store.put('stale', 'x');
    const standby = new StandbyUpdater({ taskId: '0_2', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 90]]), wipeStore: () => fixture.wipe() });
    await standby.poll();
    expect(fixture.entries().map(([name]) => name)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('lets a promoted standby restore only the remaining tail into LMDB', async () => {
    const stateDirectory = mkdtempSync(join(tmpdir(), 'kstreams-standby-'));
    directories.push(stateDirectory);
    const taskDirectory = join(stateDirectory, 'app', '0_2');
    const log = new InMemoryChangelog();
    for (let index = 0; index < 1000; index++) log.append(changelog, bytes(`key-${index}`), bytes(`value-${index}`));
    const fixture = openStore({ name: 'counts', backend: lmdbBackend(), changelog, stateDirectory: taskDirectory });
    const standby = new StandbyUpdater({ taskId: '0_2', reader: log, stores: [fixture.logged], batchSize: 500 });
    while ((await standby.poll()) > 0);
    for (let index = 1000; index < 1050; index++) log.append(changelog, bytes(`key-${index}`), bytes(`value-${index}`));
    let restored = 0;
    const listener: StateRestoreListener = { onRestoreEnd: (_partition, _store, total) => (restored = total) };
    const restorer = new StoreChangelogReader({ taskId: '0_2', reader: log, stores: [fixture.logged], checkpoints: standby.checkpointOffsets(), restoreListener: listener });
    expect(await restorer.restore()).toBe('completed');
    expect(restored).toBe(50);
    expect(fixture.store.approximateNumEntries()).toBe(1050);
    expect(fixture.store.get('key-1049')).toBe('value-1049');
    await fixture.store.close();
  });
});
