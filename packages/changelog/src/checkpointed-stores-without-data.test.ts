import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TaskCorruptedError } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { inMemoryBackend } from '@kstreams/store-memory';
import { checkCheckpointedStoresHaveData, checkpointedStoresWithoutData, type TaskStoreSpec } from './checkpointed-stores-without-data.js';

const lmdb = lmdbBackend();
const changelog = (storeName: string) => ({ topic: `app-${storeName}-changelog`, partition: 1 });

describe('checkpointedStoresWithoutData', () => {
  let stateDir: string;
  let taskDirectory: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'kstreams-missing-store-'));
    taskDirectory = join(stateDir, 'app', '0_1');
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  async function writeStore(name: string): Promise<void> {
    const store = lmdb.openStore({ name, directory: taskDirectory, applicationId: 'app', taskId: '0_1' });
    store.put(Buffer.from('key'), Buffer.from('value'));
    await store.close();
  }

  const specs: TaskStoreSpec[] = [
    { storeName: 'counts', changelog: changelog('counts'), backend: lmdb },
    { storeName: 'totals', changelog: changelog('totals'), backend: lmdb },
    { storeName: 'memory', changelog: changelog('memory'), backend: inMemoryBackend() },
  ];
  const checkpoints = new Map([
    ['app-counts-changelog-1', 41],
    ['app-totals-changelog-1', 7],
    ['app-memory-changelog-1', 3],
  ]);
  const check = () => ({ taskId: '0_1', taskDirectory, applicationId: 'app', checkpoints, stores: specs });

  it('finds nothing when every checkpointed store has its data', async () => {
    await writeStore('counts');
    await writeStore('totals');
    expect(checkpointedStoresWithoutData(check())).toEqual([]);
    expect(() => checkCheckpointedStoresHaveData(check())).not.toThrow();
  });

  it('finds a store whose data.mdb was deleted while the checkpoint kept its offset', async () => {
    await writeStore('counts');
    await writeStore('totals');
    rmSync(join(taskDirectory, 'counts', 'data.mdb'));
    expect(checkpointedStoresWithoutData(check()).map((store) => store.storeName)).toEqual(['counts']);
  });

  it('finds a store whose whole directory is gone, and ignores stores the checkpoint does not name', async () => {
    await writeStore('counts');
    expect(checkpointedStoresWithoutData({ ...check(), checkpoints: new Map([['app-totals-changelog-1', 7]]) }).map((store) => store.storeName)).toEqual(['totals']);
    expect(checkpointedStoresWithoutData({ ...check(), checkpoints: new Map() })).toEqual([]);
  });

  it('throws a TaskCorruptedError with the task id, naming each store, its offset and the directory', async () => {
    let error: unknown;
    try {
      checkCheckpointedStoresHaveData(check());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TaskCorruptedError);
    expect((error as TaskCorruptedError).taskId).toBe('0_1');
    expect((error as Error).message).toBe(
      `Task 0_1: the stores "counts" (checkpointed at offset 41 of app-counts-changelog-1), "totals" (checkpointed at offset 7 of app-totals-changelog-1) in ${taskDirectory} ` +
        'have no data on disk although the checkpoint names them. The runtime wipes the task and restores it from the changelog.',
    );
  });
});
