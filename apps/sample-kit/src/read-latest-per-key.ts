import type { Kafka } from 'kafkajs';

/**
 * Reads `topic` from the beginning to the end offsets it has when called (read_committed), and
 * returns the last value of every key, decoded by `decode`; a null value (tombstone) removes
 * the key, as compaction would. Gives up with an error naming the topic after `timeoutMs`.
 */
export async function readLatestPerKey<V>(kafka: Kafka, topic: string, decode: (value: Buffer) => V, timeoutMs = 120_000): Promise<Map<string, V>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((partition) => Number(partition.high) > Number(partition.low)).map((partition) => [partition.partition, Number(partition.high)]));
  const latest = new Map<string, V>();
  if (remaining.size === 0) return latest;
  const consumer = kafka.consumer({ groupId: `view-reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let lastProgressAt = Date.now();
    let idle: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Reading "${topic}" to its end took longer than ${timeoutMs} ms; partitions not finished: ${[...remaining.keys()].join(', ')}`)), timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      // A transaction marker can be a partition's last offset, and read_committed never returns
      // it: a partition whose reads stay quiet for 5 s is at its end.
      idle = setInterval(() => Date.now() - lastProgressAt > 5_000 && finish(), 500);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.messages.length > 0) lastProgressAt = Date.now();
            for (const message of batch.messages) {
              if (message.key === null) continue;
              if (message.value === null) latest.delete(message.key.toString());
              else latest.set(message.key.toString(), decode(message.value));
            }
            const end = remaining.get(batch.partition);
            if (end !== undefined && batch.messages.length > 0 && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) finish();
          },
        })
        .catch(reject);
    }).finally(() => clearInterval(idle));
  } finally {
    await consumer.disconnect();
  }
  return latest;
}
