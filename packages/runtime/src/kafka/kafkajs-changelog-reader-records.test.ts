import { describe, expect, it } from 'vitest';
import { committedRecords, type FetchedMessage } from './kafkajs-changelog-reader-records.js';

type Context = FetchedMessage['batchContext'];

function batch(firstOffset: number, options: { count: number; lastOffsetDelta?: number; producerId?: string; inTransaction?: boolean; control?: 'commit' | 'abort' }): FetchedMessage[] {
  const context: Context = {
    firstOffset: String(firstOffset),
    lastOffsetDelta: options.lastOffsetDelta ?? options.count - 1,
    producerId: options.producerId ?? '-1',
    inTransaction: options.inTransaction ?? false,
    isControlBatch: options.control !== undefined,
  };
  return Array.from({ length: options.count }, (_, index) => {
    const marker = Buffer.alloc(4);
    marker.writeInt16BE(options.control === 'commit' ? 1 : 0, 2);
    return {
      offset: String(firstOffset + index),
      key: options.control === undefined ? Buffer.from(`k${firstOffset + index}`) : marker,
      value: Buffer.from('v'),
      timestamp: '1000',
      batchContext: context,
    };
  });
}

const offsetsOf = (messages: FetchedMessage[], aborted: { producerId: string; firstOffset: string }[] = [], from = 0) =>
  committedRecords(messages, aborted, from).records.map((record) => record.offset);

describe('committedRecords', () => {
  it('returns plain records and the end of the last batch', () => {
    const result = committedRecords([...batch(0, { count: 2 }), ...batch(2, { count: 1 })], [], 0);
    expect(result.records.map((record) => [record.offset, Buffer.from(record.key!).toString(), record.timestamp])).toEqual([
      [0, 'k0', 1000],
      [1, 'k1', 1000],
      [2, 'k2', 1000],
    ]);
    expect(result.batchesEndOffset).toBe(3);
  });

  it('drops aborted transactions and control records but keeps committed ones', () => {
    const messages = [
      ...batch(0, { count: 2, producerId: '7', inTransaction: true }),
      ...batch(2, { count: 1, producerId: '7', control: 'abort' }),
      ...batch(3, { count: 2, producerId: '7', inTransaction: true }),
      ...batch(5, { count: 1, producerId: '7', control: 'commit' }),
    ];
    expect(offsetsOf(messages, [{ producerId: '7', firstOffset: '0' }])).toEqual([3, 4]);
    expect(committedRecords(messages, [], 0).batchesEndOffset).toBe(6);
  });

  it('keeps another producer interleaved with an aborted transaction', () => {
    const messages = [
      ...batch(0, { count: 1, producerId: '7', inTransaction: true }),
      ...batch(1, { count: 1, producerId: '8', inTransaction: true }),
      ...batch(2, { count: 1, producerId: '8', control: 'commit' }),
      ...batch(3, { count: 1, producerId: '7', control: 'abort' }),
    ];
    expect(offsetsOf(messages, [{ producerId: '7', firstOffset: '0' }])).toEqual([1]);
  });

  it('handles several aborted transactions listed out of order', () => {
    const messages = [
      ...batch(0, { count: 1, producerId: '7', inTransaction: true }),
      ...batch(1, { count: 1, producerId: '8', inTransaction: true }),
      ...batch(2, { count: 1, producerId: '7', control: 'abort' }),
      ...batch(3, { count: 1, producerId: '8', control: 'abort' }),
      ...batch(4, { count: 1 }),
    ];
    const aborted = [{ producerId: '8', firstOffset: '1' }, { producerId: '7', firstOffset: '0' }];
    expect(offsetsOf(messages, aborted)).toEqual([4]);
  });

  it('skips records before the requested offset and offset gaps left by compaction', () => {
    const messages = [...batch(10, { count: 2, lastOffsetDelta: 5 }), ...batch(20, { count: 1 })];
    expect(offsetsOf(messages, [], 11)).toEqual([11, 20]);
    expect(committedRecords(messages.slice(0, 2), [], 11).batchesEndOffset).toBe(16);
  });

  it('reports no batch end when nothing was decoded', () => {
    expect(committedRecords([], [], 5)).toEqual({ records: [], batchesEndOffset: undefined });
  });
});
