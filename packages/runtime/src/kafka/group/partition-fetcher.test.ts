import { RecordBatchBuilder, type FetchResponse } from '@kstreams/kafka-protocol';
import { describe, expect, it } from 'vitest';
import type { InternalCluster } from '../kafkajs-private-cluster.js';
import { PartitionFetcher, UnreadableFetchError } from './partition-fetcher.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const partition = { topic: 'input', partition: 0 };

function batchBytes(values: string[]): Buffer {
  const builder = new RecordBatchBuilder(256);
  for (const value of values) builder.append({ key: Buffer.from('k'), value: Buffer.from(value), headers: [], timestamp: 1_000 });
  return Buffer.from(builder.close({ producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false }));
}

/** One broker leading `input-0` whose Fetch answers are the given record bytes, in turn. */
function clusterServing(records: Buffer): { cluster: InternalCluster; fetches: () => number } {
  let fetches = 0;
  const response = (): FetchResponse =>
    ({ throttleTimeMs: 0, topics: [{ topic: 'input', partitions: [{ partition: 0, errorCode: 0, highWatermark: 2, lastStableOffset: 2, abortedTransactions: [], records }] }] }) as unknown as FetchResponse;
  const cluster = {
    addMultipleTargetTopics: async () => undefined,
    findLeaderForPartitions: () => ({ '1': [0] }),
    findBroker: async () => ({ connectionPool: { send: async () => (fetches++, response()) } }),
    refreshMetadata: async () => undefined,
  };
  return { cluster: cluster as unknown as InternalCluster, fetches: () => fetches };
}

async function fetchOnce(records: Buffer): Promise<{ fetcher: PartitionFetcher; fetches: () => number }> {
  const { cluster, fetches } = clusterServing(records);
  let signal!: () => void;
  const data = new Promise<void>((resolve) => (signal = resolve));
  const fetcher = new PartitionFetcher(cluster, { maxWaitMs: 10, maxBytesPerPartition: 1 << 16, maxBytes: 1 << 20, readUncommitted: false }, silent, () => signal());
  fetcher.assign([partition]);
  fetcher.seek(partition, 0);
  fetcher.resume([partition]);
  fetcher.start();
  await data;
  return { fetcher, fetches };
}

describe('PartitionFetcher', () => {
  it('hands over the records of a readable batch', async () => {
    const { fetcher } = await fetchOnce(batchBytes(['a', 'b']));
    const batches = fetcher.drain();
    await fetcher.stop();
    expect(batches.flatMap((batch) => batch.records.map((record) => record.offset))).toEqual([0, 1]);
  });

  it('fails the next drain, naming the partition and offset, when a fetched batch is corrupt, and stops fetching it', async () => {
    const corrupt = batchBytes(['a', 'b']);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    const { fetcher, fetches } = await fetchOnce(corrupt);
    expect(() => fetcher.drain()).toThrow(UnreadableFetchError);
    expect(() => fetcher.drain()).toThrow(/input-0 fetched from offset 0 cannot be read: .*CRC-32C/);
    const seen = fetches();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await fetcher.stop();
    expect(fetches()).toBe(seen);
  });
});
