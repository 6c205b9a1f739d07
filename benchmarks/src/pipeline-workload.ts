import kafkajs, { type Admin, type Kafka } from 'kafkajs';

const { Partitioners } = kafkajs;

/** Bytes of every input value. */
export const VALUE_BYTES = 100;

/** Digits of the sequence number each value starts with. */
const SEQUENCE_DIGITS = 10;

const FILLER = 'abcdefghijklmnopqrstuvwxyz';

/** Producer settings both contenders share: acks from all in-sync replicas, one request in flight. */
export const PIPE_PRODUCER_CONFIG = { allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false } as const;

/** The topics and size of one pipeline benchmark. */
export interface PipelineWorkload {
  readonly inputTopic: string;
  readonly records: number;
  readonly partitions: number;
}

/**
 * The value of record `sequence`: its zero-padded sequence number, then lower-case filler up
 * to {@link VALUE_BYTES}.
 */
export function inputValue(sequence: number): Buffer {
  const value = Buffer.alloc(VALUE_BYTES);
  value.write(sequence.toString().padStart(SEQUENCE_DIGITS, '0'), 0, 'latin1');
  for (let index = SEQUENCE_DIGITS; index < VALUE_BYTES; index++) value[index] = FILLER.charCodeAt(index % FILLER.length);
  return value;
}

/** The filter: drops every tenth record (sequence numbers divisible by 10). */
export function keepRecord(value: Uint8Array): boolean {
  // The last digit of the sequence number decides; no parsing needed.
  return value[SEQUENCE_DIGITS - 1] !== 0x30;
}

/** The map: a new value with every lower-case ASCII letter upper-cased. */
export function transformValue(value: Uint8Array): Buffer {
  const result = Buffer.allocUnsafe(value.length);
  for (let index = 0; index < value.length; index++) {
    const byte = value[index] as number;
    result[index] = byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte;
  }
  return result;
}

/** How many records the filter keeps out of the first `records` sequence numbers. */
export function expectedOutputRecords(records: number): number {
  return records - Math.ceil(records / 10);
}

/** Creates `topic` with `partitions` partitions (replication factor 1). */
export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  // A busy single-node broker sometimes answers the leader wait with a stale-metadata error:
  // retry (creating an existing topic is a no-op) until its partitions have leaders.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      if (metadata.topics[0]?.partitions.every((partition) => partition.leader >= 0) === true) return;
    } catch (error) {
      if (attempt >= 20) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Writes the workload's input: `records` records keyed uniformly over a million keys,
 * partitioned by key (murmur2), several sends in flight.
 */
export async function produceInput(kafka: Kafka, workload: PipelineWorkload): Promise<void> {
  await produceRecords(kafka, workload.inputTopic, workload.records, (sequence) => ({
    key: `key-${(Math.imul(sequence, 2_654_435_761) >>> 0) % 1_000_000}`,
    value: inputValue(sequence),
  }));
}

/**
 * Writes records 0 to `records - 1` of `topic`, each made by `recordAt`, partitioned by key with
 * murmur2 (as Java's producer does), in chunks of 5,000 with up to 8 sends in flight.
 */
export async function produceRecords(kafka: Kafka, topic: string, records: number, recordAt: (sequence: number) => { key: string; value: Buffer }): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const chunk = 5_000;
    const inFlight = new Set<Promise<unknown>>();
    for (let start = 0; start < records; start += chunk) {
      const messages = [];
      for (let sequence = start; sequence < Math.min(start + chunk, records); sequence++) messages.push(recordAt(sequence));
      const send: Promise<unknown> = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(send));
      inFlight.add(send);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
}

/**
 * Records in `topic`: the sum of its partitions' high watermarks (no compaction, no deletes).
 * Retries while the broker's metadata for a new topic settles ("not the leader").
 */
export async function countRecords(admin: Admin, topic: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
