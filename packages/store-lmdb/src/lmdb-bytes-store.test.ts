import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyValueBytesStore } from '@kstreams/core';
import { InvalidStateStoreError, StreamsError } from '@kstreams/core';
import { lmdbBackend } from './lmdb-backend.js';
import { hex, locationOf, temporaryTaskDirectory } from './test-support/temp-location.js';

const keysOf = (iterator: Iterable<{ key: Uint8Array }>): string[] =>
  [...iterator].map((entry) => Buffer.from(entry.key).toString('hex'));

describe('LmdbBytesStore', () => {
  let task: ReturnType<typeof temporaryTaskDirectory>;
  let store: KeyValueBytesStore;
  const backend = lmdbBackend({ maxPendingEntries: 4 });

  beforeEach(() => {
    task = temporaryTaskDirectory();
    store = backend.openStore(locationOf('words', task.directory));
  });
  afterEach(async () => {
    await store.close();
    task.remove();
  });

  const orderedKeys = ['', '00', '0000', '01', '0100', '01ff', '02', 'ff', 'ffff'];
  const writeAll = (keys: string[]): void => {
    for (const key of keys) store.put(hex(key), Buffer.from(`v${key}`));
  };

  it('returns keys of different lengths in unsigned byte order, before and after a flush', () => {
    writeAll([...orderedKeys].reverse());
    expect(keysOf(store.range())).toEqual(orderedKeys);
    store.flush();
    expect(keysOf(store.range())).toEqual(orderedKeys);
    expect(keysOf(store.range({ reverse: true }))).toEqual([...orderedKeys].reverse());
  });

  it('restoreAll writes a batch through after pending writes: later restored values win, null deletes, the empty key works, and it survives a reopen', async () => {
    store.put(hex('01'), Buffer.from('pending'));
    store.put(hex('03'), Buffer.from('doomed'));
    const fetched = Buffer.from('restoredthree');
    store.restoreAll?.([
      { key: hex('01'), value: fetched.subarray(0, 8) },
      { key: hex(''), value: Buffer.from('empty') },
      { key: hex('03'), value: null },
      { key: hex('02'), value: fetched.subarray(8) },
    ]);
    fetched.fill(0);
    await store.close();
    store = backend.openStore(locationOf('words', task.directory));
    expect(keysOf(store.range())).toEqual(['', '01', '02']);
    expect(Buffer.from(store.get(hex('01')) ?? []).toString()).toBe('restored');
    expect(Buffer.from(store.get(hex('02')) ?? []).toString()).toBe('three');
    expect(Buffer.from(store.get(hex('')) ?? []).toString()).toBe('empty');
  });

  it('restoreAll rejects a key too long for LMDB before writing anything of the batch', () => {
    expect(() => store.restoreAll?.([{ key: hex('01'), value: Buffer.from('one') }, { key: new Uint8Array(5000), value: Buffer.from('x') }])).toThrow(/5000 bytes is too long/);
    expect(store.get(hex('01'))).toBeUndefined();
  });

  it('returns committed keys and values as private plain Uint8Array copies that later reads do not overwrite', () => {
    store.put(hex('01'), Buffer.from('one'));
    store.put(hex('02'), Buffer.from('two'));
    store.flush();
    const first = store.get(hex('01'));
    const second = store.get(hex('02'));
    expect(first).toEqual(new Uint8Array(Buffer.from('one')));
    expect(second).toEqual(new Uint8Array(Buffer.from('two')));
    const scanned = [...store.range()];
    expect(scanned).toEqual([
      { key: new Uint8Array([1]), value: new Uint8Array(Buffer.from('one')) },
      { key: new Uint8Array([2]), value: new Uint8Array(Buffer.from('two')) },
    ]);
    (scanned[0]?.value as Uint8Array)[0] = 0;
    (first as Uint8Array)[0] = 0;
    expect(store.get(hex('01'))).toEqual(new Uint8Array(Buffer.from('one')));
  });

  it('merges pending writes with committed entries in one ordered scan', () => {
    writeAll(['01', '02', 'ff']);
    store.flush();
    store.put(hex('0100'), Buffer.from('new'));
    store.delete(hex('02'));
    store.put(hex('ff'), Buffer.from('changed'));
    expect(keysOf(store.range())).toEqual(['01', '0100', 'ff']);
    expect(Buffer.from(store.get(hex('ff')) ?? []).toString()).toBe('changed');
    expect(store.get(hex('02'))).toBeUndefined();
  });

  it('treats both range bounds as inclusive, in either direction', () => {
    writeAll(orderedKeys);
    store.flush();
    store.put(hex('0101'), Buffer.from('pending'));
    expect(keysOf(store.range({ from: hex('01'), to: hex('01ff') }))).toEqual(['01', '0100', '0101', '01ff']);
    expect(keysOf(store.range({ from: hex('01'), to: hex('01ff'), reverse: true }))).toEqual(['01ff', '0101', '0100', '01']);
    expect(keysOf(store.range({ from: hex('0001'), to: hex('0180') }))).toEqual(['01', '0100', '0101']);
    expect(keysOf(store.range({ to: hex('00') }))).toEqual(['', '00']);
    expect(keysOf(store.range({ from: hex('02'), to: hex('01') }))).toEqual([]);
  });

  it('scans prefixes, including all-0xff and empty prefixes, forwards and backwards', () => {
    writeAll(orderedKeys);
    expect(keysOf(store.prefixScan(hex('01')))).toEqual(['01', '0100', '01ff']);
    store.flush();
    expect(keysOf(store.prefixScan(hex('01'), { reverse: true }))).toEqual(['01ff', '0100', '01']);
    expect(keysOf(store.prefixScan(hex('ff')))).toEqual(['ff', 'ffff']);
    expect(keysOf(store.prefixScan(hex('ff'), { reverse: true }))).toEqual(['ffff', 'ff']);
    expect(keysOf(store.prefixScan(hex('')))).toEqual(orderedKeys);
    expect(keysOf(store.prefixScan(hex('03')))).toEqual([]);
  });

  it('stores the empty key and deletes it', () => {
    store.put(hex(''), Buffer.from('empty'));
    store.flush();
    expect(Buffer.from(store.get(hex('')) ?? []).toString()).toBe('empty');
    expect(Buffer.from(store.delete(hex('')) ?? []).toString()).toBe('empty');
    store.flush();
    expect(store.get(hex(''))).toBeUndefined();
    expect(keysOf(store.range())).toEqual([]);
  });

  it('applies putAll, getMany and deleteAll as batches', () => {
    store.putAll([
      { key: hex('01'), value: Buffer.from('a') },
      { key: hex('02'), value: Buffer.from('b') },
      { key: hex('03'), value: null },
    ]);
    store.flush();
    store.putAll([{ key: hex('02'), value: null }, { key: hex('04'), value: Buffer.from('d') }]);
    const values = store.getMany([hex('01'), hex('02'), hex('04')]).map((value) => value && Buffer.from(value).toString());
    expect(values).toEqual(['a', undefined, 'd']);
    store.deleteAll([hex('01'), hex('04')]);
    expect(keysOf(store.range())).toEqual([]);
  });

  it('keeps an open iterator on its snapshot while writes continue', () => {
    writeAll(['01', '02', '03']);
    const iterator = store.range();
    store.put(hex('00'), Buffer.from('late'));
    store.delete(hex('02'));
    store.flush();
    expect(keysOf(iterator)).toEqual(['01', '02', '03']);
    expect(keysOf(store.range())).toEqual(['00', '01', '03']);
  });

  it('does not see changes the caller makes to a buffer after put', () => {
    const value = Buffer.from('abc');
    store.put(hex('01'), value);
    value[0] = 0x7a;
    expect(Buffer.from(store.get(hex('01')) ?? []).toString()).toBe('abc');
  });

  it('rejects keys above the LMDB key size with an error naming the store', () => {
    expect(() => store.put(Buffer.alloc(2000, 1), Buffer.from('x'))).toThrow(/too long for LMDB state store "words"/);
    expect(() => store.put(Buffer.alloc(2000, 1), Buffer.from('x'))).toThrow(StreamsError);
  });

  it('stores and reads back an 8 MiB value', () => {
    const large = Buffer.alloc(8 * 1024 * 1024);
    for (let index = 0; index < large.length; index += 4096) large[index] = index % 251;
    store.put(hex('01'), large);
    store.flush();
    expect(Buffer.from(store.get(hex('01')) ?? []).equals(large)).toBe(true);
    const [scanned] = [...store.range()];
    expect(Buffer.from(scanned?.value ?? []).equals(large)).toBe(true);
  });

  it('counts entries approximately', () => {
    writeAll(['01', '02', '03', '04', '05', '06']);
    store.flush();
    expect(store.approximateNumEntries()).toBe(6);
  });

  it('closes idempotently and refuses use afterwards', async () => {
    store.put(hex('01'), Buffer.from('a'));
    await Promise.all([store.close(), store.close()]);
    expect(store.isOpen).toBe(false);
    expect(() => store.get(hex('01'))).toThrow(InvalidStateStoreError);
  });
});
