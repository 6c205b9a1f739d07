import { afterEach, describe, expect, it } from 'vitest';
import { lmdbBackend } from './lmdb-backend.js';
import { locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

describe('LmdbBytesStore with many keys', () => {
  const task = temporaryTaskDirectory();
  afterEach(() => task.remove());

  it('scans 1M committed keys in order, whole and in a bounded range', () => {
    const count = 1_000_000;
    const value = Buffer.alloc(100, 7);
    const big = lmdbBackend();
    const bulk = big.openStore(locationOf('bulk', task.directory));
    // Written in descending order, so the scan's ascending order comes from the store.
    for (let index = count - 1; index >= 0; index--) {
      const key = Buffer.alloc(16);
      key.writeUInt32BE(index, 0);
      key.writeUInt32BE(index % 7, 12);
      bulk.put(key, value);
    }
    bulk.flush();
    let seen = 0;
    let outOfOrder = 0;
    let previous: Uint8Array = Buffer.alloc(0);
    for (const { key } of bulk.range()) {
      if (Buffer.compare(previous, key) >= 0) outOfOrder++;
      previous = key;
      seen++;
    }
    expect({ seen, outOfOrder }).toEqual({ seen: count, outOfOrder: 0 });
    const from = Buffer.alloc(16);
    from.writeUInt32BE(500_000, 0);
    const to = Buffer.alloc(16, 0xff);
    to.writeUInt32BE(500_999, 0);
    const bounded = [...bulk.range({ from, to })].map(({ key }) => Buffer.from(key).readUInt32BE(0));
    expect(bounded).toEqual(Array.from({ length: 1_000 }, (_, index) => 500_000 + index));
    return bulk.close();
  });
});
