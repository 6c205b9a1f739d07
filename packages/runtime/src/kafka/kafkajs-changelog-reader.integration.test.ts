import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { integrationBrokers, uniqueName, waitUntil } from '../internal/testing/integration-kafka.js';
import type { TopicPartition } from './kafka-client.js';
import { KafkajsChangelogReader, type ChangelogFetchOptions } from './kafkajs-changelog-reader.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();
const message = (key: string, value: string | null = `value-of-${key}`) => ({ key, value });

async function setup(configs: { [name: string]: string } = {}) {
  const kafka = new Kafka({ clientId: uniqueName('changelog-reader'), brokers: integrationBrokers(), logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  await admin.connect();
  closers.push(() => admin.disconnect());
  const topic = uniqueName('app-store-changelog');
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries }] });
  const producer = kafka.producer({ transactionalId: uniqueName('txn'), idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  closers.push(() => producer.disconnect());
  const reader = new KafkajsChangelogReader(kafka);
  closers.push(() => reader.disconnect());
  return { kafka, admin, producer, reader, partition: { topic, partition: 0 } as TopicPartition, key: `${topic}-0` };
}

/**
 * Writes the messages to partition 0 in one transaction, ends it, and waits until the stable end
 * offset passes its marker: the coordinator writes the marker after EndTxn returns.
 */
async function inTransaction(
  producer: Producer,
  topic: string,
  messages: { key: string; value: string | null }[],
  outcome: 'commit' | 'abort',
  reader?: KafkajsChangelogReader,
) {
  const transaction = await producer.transaction();
  const [sent] = await transaction.send({ topic, messages: messages.map((entry) => ({ ...entry, partition: 0 })) });
  await (outcome === 'commit' ? transaction.commit() : transaction.abort());
  if (reader === undefined || sent?.baseOffset === undefined) return;
  const stableEnd = Number(sent.baseOffset) + messages.length + 1;
  const partition = { topic, partition: 0 };
  await waitUntil(async () => ((await reader.endOffsets([partition])).get(`${topic}-0`) ?? 0) >= stableEnd, `the ${outcome} marker of ${topic} is written`);
}

/** Reads like a restore does: batch after batch until `untilOffset`. */
async function readAll(reader: KafkajsChangelogReader, partition: TopicPartition, options: ChangelogFetchOptions & { untilOffset: number }) {
  const records: { offset: number; key: string; value: string | null }[] = [];
  let position = options.fromOffset;
  let reads = 0;
  while (position < options.untilOffset) {
    const result = await reader.read(partition, { ...options, fromOffset: position });
    expect(result.outOfRange).toBeUndefined();
    for (const record of result.records) records.push({ offset: record.offset, key: text(record.key), value: record.value === null ? null : text(record.value) });
    expect(result.nextOffset).toBeGreaterThan(position);
    position = result.nextOffset;
    reads++;
  }
  expect(position).toBe(options.untilOffset);
  return { records, reads };
}

describe('KafkajsChangelogReader', () => {
  it('reads committed records only: aborted transactions and markers are skipped', async () => {
    const { producer, reader, partition, key } = await setup();
    await inTransaction(producer, partition.topic, [message('k0'), message('k1'), message('k2')], 'commit', reader);
    await inTransaction(producer, partition.topic, [message('a0'), message('a1'), message('a2')], 'abort', reader);
    await inTransaction(producer, partition.topic, [message('k3'), message('k0', null)], 'commit', reader);
    const end = (await reader.endOffsets([partition])).get(key)!;
    expect(end).toBe(11);
    expect((await reader.beginningOffsets([partition])).get(key)).toBe(0);
    const { records } = await readAll(reader, partition, { fromOffset: 0, untilOffset: end });
    expect(records.map((record) => [record.offset, record.key, record.value])).toEqual([
      [0, 'k0', 'value-of-k0'],
      [1, 'k1', 'value-of-k1'],
      [2, 'k2', 'value-of-k2'],
      [8, 'k3', 'value-of-k3'],
      [9, 'k0', null],
    ]);
  });

  it('starts in the middle of the log and hands out at most maxRecords per read', async () => {
    const { producer, reader, partition, key } = await setup();
    await inTransaction(producer, partition.topic, Array.from({ length: 10 }, (_, index) => message(`k${index}`)), 'commit', reader);
    const end = (await reader.endOffsets([partition])).get(key)!;
    const { records, reads } = await readAll(reader, partition, { fromOffset: 4, untilOffset: end, maxRecords: 2 });
    expect(records.map((record) => record.key)).toEqual(['k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    expect(reads).toBe(3);
    const bounded = await reader.read(partition, { fromOffset: 0, untilOffset: 3 });
    expect(bounded.records.map((record) => text(record.key))).toEqual(['k0', 'k1', 'k2']);
    expect(bounded.nextOffset).toBe(3);
  });

  it('takes the high watermark as the end offset, and reads nothing of an open transaction until it ends', async () => {
    const { producer, reader, partition, key } = await setup();
    await inTransaction(producer, partition.topic, [message('k0')], 'commit', reader);
    const transaction = await producer.transaction();
    await transaction.send({ topic: partition.topic, messages: [{ ...message('open'), partition: 0 }] });
    // A restore must wait for the open transaction (its commit may be on its way), not stop before it.
    expect((await reader.endOffsets([partition])).get(key)).toBe(3);
    const tail = await reader.read(partition, { fromOffset: 2, maxWaitMs: 100 });
    expect(tail).toEqual({ records: [], nextOffset: 2 });
    await transaction.abort();
    // The coordinator writes the abort marker after EndTxn returns; the reader passes it then.
    await waitUntil(async () => (await reader.endOffsets([partition])).get(key) === 4, 'the abort marker is written');
    await waitUntil(async () => (await reader.read(partition, { fromOffset: 2 })).nextOffset === 4, 'the reader passes the aborted transaction');
    expect((await reader.read(partition, { fromOffset: 2 })).records).toEqual([]);
  });

  it('reads an empty topic as empty and reports offsets outside the log as out of range', async () => {
    const { admin, producer, reader, partition, key } = await setup();
    expect((await reader.endOffsets([partition])).get(key)).toBe(0);
    const started = Date.now();
    expect(await reader.read(partition, { fromOffset: 0, maxWaitMs: 200 })).toEqual({ records: [], nextOffset: 0 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await inTransaction(producer, partition.topic, [message('k0'), message('k1'), message('k2')], 'commit', reader);
    expect((await reader.read(partition, { fromOffset: 50 })).outOfRange).toBe(true);
    await admin.fetchTopicMetadata({ topics: [partition.topic] });
    await admin.deleteTopicRecords({ topic: partition.topic, partitions: [{ partition: 0, offset: '2' }] });
    expect((await reader.beginningOffsets([partition])).get(key)).toBe(2);
    expect((await reader.read(partition, { fromOffset: 0 })).outOfRange).toBe(true);
    expect((await reader.read(partition, { fromOffset: 2 })).records.map((record) => text(record.key))).toEqual(['k2']);
  });

  it('reads a compacted changelog across its offset gaps', async () => {
    const { kafka, reader, partition, key } = await setup({
      'cleanup.policy': 'compact',
      'segment.ms': '100',
      'min.cleanable.dirty.ratio': '0.001',
      'min.compaction.lag.ms': '0',
      'delete.retention.ms': '100',
    });
    const plain = kafka.producer();
    await plain.connect();
    closers.push(() => plain.disconnect());
    for (let round = 0; round < 5; round++) {
      await plain.send({ topic: partition.topic, messages: Array.from({ length: 4 }, (_, index) => ({ ...message(`k${index}`, `round-${round}`), partition: 0 })) });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await plain.send({ topic: partition.topic, messages: [{ ...message('roll'), partition: 0 }] });
    const end = (await reader.endOffsets([partition])).get(key)!;
    expect(end).toBe(21);
    let records: { offset: number; key: string; value: string | null }[] = [];
    await waitUntil(async () => {
      records = (await readAll(reader, partition, { fromOffset: 0, untilOffset: end })).records;
      return records.length < 21;
    }, 'the log cleaner compacts the changelog', 50_000);
    const latest = new Map(records.map((record) => [record.key, record.value]));
    expect([...latest]).toEqual([['k0', 'round-4'], ['k1', 'round-4'], ['k2', 'round-4'], ['k3', 'round-4'], ['roll', 'value-of-roll']]);
    expect(records.map((record) => record.offset).at(0)).toBeGreaterThan(0);
  }, 60_000);
});
