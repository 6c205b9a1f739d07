/**
 * One measured run of the producer benchmark, in its own process so CPU time and peak RSS are
 * the contender's alone. Usage: `producer-bench-child.ts <contender> <brokers> <topic> <records> <partitions>`;
 * prints one JSON line `{ recordsPerSecond, cpuSeconds, peakRssMb, acknowledged }`.
 */
import { Headers } from '@kstreams/core';
import { KafkaProtocolRecordProducer } from '@kstreams/kafka-protocol';
import kafkajs, { type Kafka, type Message } from 'kafkajs';

const { logLevel } = kafkajs;

/** Records per send call: what the runtime's record collector hands the producer today. */
export const CHUNK_RECORDS = 2_000;
const VALUE_BYTES = 100;
const NO_HEADERS = new Headers();

interface BenchRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** The records of chunk `start`: 100 B values, keys over 100k, partitions round-robin. */
function chunk(topic: string, start: number, end: number, partitions: number): BenchRecord[] {
  const records: BenchRecord[] = [];
  const timestamp = Date.now();
  for (let sequence = start; sequence < end; sequence++) {
    const value = Buffer.alloc(VALUE_BYTES, 0x61);
    value.write(String(sequence), 0, 'latin1');
    records.push({ topic, partition: sequence % partitions, key: Buffer.from(`key-${sequence % 100_000}`), value, headers: NO_HEADERS, timestamp });
  }
  return records;
}

/** kafkajs' producer as the runtime drives it: acks=all, one request in flight, one 2000-record sendBatch at a time. */
async function runKafkajs(kafka: Kafka, topic: string, records: number, partitions: number): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false });
  await producer.connect();
  let acknowledged = 0;
  try {
    for (let start = 0; start < records; start += CHUNK_RECORDS) {
      const messages: Message[] = chunk(topic, start, Math.min(start + CHUNK_RECORDS, records), partitions).map((record) => ({
        key: record.key,
        value: record.value,
        partition: record.partition,
        timestamp: String(record.timestamp),
      }));
      const results = await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
      acknowledged += results.length > 0 ? messages.length : 0;
    }
  } finally {
    await producer.disconnect();
  }
  return acknowledged;
}

/** Our producer through the runtime's `RecordProducer` shape, with back-pressure from its bounded buffer. */
async function runKafkaProtocol(kafka: Kafka, topic: string, records: number, partitions: number): Promise<number> {
  const producer = new KafkaProtocolRecordProducer(kafka);
  await producer.connect();
  let acknowledged = 0;
  try {
    const sends: Promise<unknown>[] = [];
    for (let start = 0; start < records; start += CHUNK_RECORDS) {
      if (!producer.hasRoom()) await producer.whenRoom();
      const end = Math.min(start + CHUNK_RECORDS, records);
      sends.push(producer.send(chunk(topic, start, end, partitions)).then(() => void (acknowledged += end - start)));
    }
    await producer.flush();
    await Promise.all(sends);
  } finally {
    await producer.disconnect();
  }
  return acknowledged;
}

async function main(): Promise<void> {
  const [contender, brokers, topic, recordsText, partitionsText] = process.argv.slice(2);
  if (contender === undefined || brokers === undefined || topic === undefined) throw new Error('usage: producer-bench-child <contender> <brokers> <topic> <records> <partitions>');
  const records = Number(recordsText);
  const partitions = Number(partitionsText);
  const kafka = new kafkajs.Kafka({ clientId: `producer-bench-${contender}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const run = contender === 'kafkajs' ? runKafkajs : runKafkaProtocol;
  const acknowledged = await run(kafka, topic, records, partitions);
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const result = {
    recordsPerSecond: records / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    acknowledged,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
