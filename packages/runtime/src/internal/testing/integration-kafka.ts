import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumedRecord, KafkaAdmin, RecordProducer } from '../../kafka/kafka-client.js';
import { KafkajsClientFactory } from '../../kafka/kafkajs-client-factory.js';
import { fromKafkajsMessage } from '../../kafka/kafkajs-conversions.js';
import { inject } from 'vitest';
import { StreamsConfig, type StreamsConfigOptions } from '../../streams-config.js';
import { readCommittedTopic } from './crash-output-check.js';

/** Bootstrap servers the integration project's global setup started (or `KAFKA_BROKERS`). */
export function integrationBrokers(): string[] {
  let provided: string | undefined;
  try {
    provided = (inject as (key: string) => string | undefined)('kafkaBrokers');
  } catch {
    provided = undefined;
  }
  const list = (provided ?? process.env['KAFKA_BROKERS'] ?? '').split(',').filter((broker) => broker !== '');
  if (list.length === 0) throw new Error('No Kafka brokers: run in the "integration" vitest project or set KAFKA_BROKERS.');
  return list;
}

/** A name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A config against the integration broker with a fresh application id. */
export function integrationConfig(options: Partial<StreamsConfigOptions> = {}): StreamsConfig {
  return new StreamsConfig({ applicationId: uniqueName('app'), bootstrapServers: integrationBrokers(), ...options });
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws with `description`). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, description: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


/**
 * Reads a topic from the beginning with a plain kafkajs consumer (read_committed) into a list
 * that keeps growing until `close()` (tests wait on its length).
 */
export async function liveTopicReader(topic: string): Promise<{ records: ConsumedRecord[]; close: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers: integrationBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), readUncommitted: false, maxWaitTimeInMs: 200 });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachBatch: async ({ batch }) => void records.push(...batch.messages.map((message) => fromKafkajsMessage(batch.topic, batch.partition, message))) });
  return { records, close: () => consumer.disconnect() };
}

/**
 * Every record of the topic's committed transactions (and non-transactional records), read
 * read_committed with the runtime's own reader. Use it for exactly-once checks rather than a
 * kafkajs consumer: kafkajs 2.2.4 lets aborted records through when several producers' aborted
 * transactions interleave in a partition (it expects the broker's aborted-transaction list in
 * first-offset order), which happens under `exactly_once` (a producer per task).
 */
export async function committedTopicRecords(topic: string, partitionCount: number): Promise<{ key: string; value: string; partition: number }[]> {
  const reader = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('committed-reader'), bootstrapServers: integrationBrokers() })).createChangelogReader();
  try {
    const partitions = await readCommittedTopic(reader, topic, partitionCount);
    return partitions.flatMap((records, partition) => records.map((record) => ({ key: Buffer.from(record.key ?? []).toString(), value: Buffer.from(record.value ?? []).toString(), partition })));
  } finally {
    await reader.disconnect();
  }
}

/**
 * A connected admin client and producer against the integration broker (the runtime's own
 * adapters); `onClose` receives their disconnects for the test's cleanup list.
 */
export async function connectedTools(onClose: (close: () => Promise<void>) => void): Promise<{ admin: KafkaAdmin; producer: RecordProducer }> {
  const factory = new KafkajsClientFactory(new StreamsConfig({ applicationId: uniqueName('tools'), bootstrapServers: integrationBrokers() }));
  const admin = factory.createAdmin();
  const producer = factory.createProducer();
  await admin.connect();
  await producer.connect();
  onClose(() => admin.disconnect());
  onClose(() => producer.disconnect());
  return { admin, producer };
}
