import { afterEach, describe, expect, it } from 'vitest';
import { lmdbBackend } from './lmdb-backend.js';
import { BATCH_SIZE, batchKey } from './test-support/child-store-process.js';
import { killHard, spawnChild } from './test-support/spawn-child.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

const flushedBatches = (output: string): number => output.split('\n').filter((line) => line.startsWith('flushed ')).length;

describe('LmdbBytesStore after a crash', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());

  it('keeps every flushed batch whole and no partial batch after kill -9 during writes', async () => {
    const { child, output } = await spawnChild('write', task.directory, (text) => flushedBatches(text) >= 30);
    await killHard(child);
    const acknowledged = flushedBatches(output());

    const store = lmdbBackend().openStore(locationOf('crash', task.directory));
    const countPerBatch = new Map<number, number>();
    for (const { key } of store.range()) {
      const batch = Buffer.from(key).readUInt32BE(0);
      countPerBatch.set(batch, (countPerBatch.get(batch) ?? 0) + 1);
    }
    const batches = [...countPerBatch.keys()].sort((left, right) => left - right);
    expect(batches.length).toBeGreaterThanOrEqual(acknowledged);
    expect(batches).toEqual(batches.map((_, index) => index));
    expect([...countPerBatch.values()].every((count) => count === BATCH_SIZE)).toBe(true);
    expect(store.get(batchKey(acknowledged - 1, BATCH_SIZE - 1))).toBeDefined();
    await store.close();
  }, 15_000);
});
