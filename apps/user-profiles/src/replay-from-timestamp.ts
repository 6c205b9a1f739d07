import type { Kafka } from 'kafkajs';

/**
 * Prepares a partial replay: commits, for the consumer group of `applicationId` (a new one, with
 * no members), the first offset of each partition of `topic` whose record timestamp is at or
 * after `timestamp` (the end offset where there is none), so an app started under that
 * application id folds only the events from then on. Returns the offsets per partition.
 * (`kstreams-reset --to-datetime` does the same for an existing application.)
 */
export async function seekApplicationToTimestamp(kafka: Kafka, applicationId: string, topic: string, timestamp: number): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
    await admin.setOffsets({ groupId: applicationId, topic, partitions: offsets.map(({ partition, offset }) => ({ partition, offset })) });
    return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await admin.disconnect();
  }
}
