/** Topic helpers of the side-by-side suite: fill an input topic, read an output topic back. */
import type { Admin, Kafka } from 'kafkajs';
import { produceRecords } from '../pipeline-workload.js';
import { inputKey, inputValue, type InputShape } from './workloads.js';

/** Writes the input of `input`: records keyed by {@link inputKey}, partitioned by key with murmur2. */
export async function produceSuiteInput(kafka: Kafka, topic: string, input: InputShape): Promise<void> {
  await produceRecords(kafka, topic, input.records, (sequence) => ({ key: inputKey(sequence, input.keys), value: inputValue(sequence, input.valueBytes) }));
}

/**
 * Reads `topic` from the beginning to its current end (read_committed) and returns the last
 * value of every key, decoded by `decode`.
 */
export async function readLatestPerKey<V>(kafka: Kafka, admin: Admin, topic: string, decode: (value: Buffer) => V): Promise<Map<string, V>> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((partition) => [partition.partition, Number(partition.high)]));
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([partition]) => partition));
  const latest = new Map<string, V>();
  if (remaining.size === 0) return latest;
  const consumer = kafka.consumer({ groupId: `suite-reader-${topic}-${Date.now().toString(36)}`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let lastProgressAt = Date.now();
    let idle: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      // Transaction markers sit after the last record, so a read_committed read of a
      // transactional topic may never see the end offset: stop after 10 s without records.
      idle = setInterval(() => {
        if (Date.now() - lastProgressAt > 10_000) resolve();
      }, 500);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.messages.length > 0) lastProgressAt = Date.now();
            for (const message of batch.messages) {
              if (message.key !== null && message.value !== null) latest.set(message.key.toString('latin1'), decode(message.value));
            }
            const end = ends.get(batch.partition) ?? 0;
            if (batch.messages.length > 0 && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    }).finally(() => clearInterval(idle));
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

/** Deletes every topic whose name starts with `prefix` (a run's output and internal topics). */
export async function deleteTopicsStartingWith(admin: Admin, prefix: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 }).catch(() => undefined);
}

/** The first key whose value differs between `expected` and `actual`, or undefined when they are equal. */
export function firstDifference<V>(expected: ReadonlyMap<string, V>, actual: ReadonlyMap<string, V>): string | undefined {
  if (expected.size !== actual.size) return `${actual.size} keys, expected ${expected.size}`;
  for (const [key, value] of expected) {
    if (actual.get(key) !== value) return `key ${key}: ${String(actual.get(key))}, expected ${String(value)}`;
  }
  return undefined;
}
