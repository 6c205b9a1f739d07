import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Record, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { KafkaStreams, type StreamsConfigOptions } from '@kstreams/runtime';
import { inMemoryBackend } from '@kstreams/store-memory';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';

/** Counts records per key in a changelogged store and forwards `key=count` for each record. */
class KeyCounter implements Processor<string, string, string, string> {
  #context!: ProcessorContext<string, string>;
  #counts!: KeyValueStore<string, number | null>;

  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
    this.#counts = context.getStateStore<KeyValueStore<string, number | null>>('counts');
  }

  process(record: Record<string, string>): void {
    const count = (this.#counts.get(record.key) ?? 0) + 1;
    this.#counts.put(record.key, count);
    this.#context.forward(new Record(record.key, String(count), record.timestamp));
  }
}

/** A stateful count: `input` to `output`, with the changelog `<applicationId>-counts-changelog`. */
export function countTopology(input: string, output: string) {
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new KeyCounter(), 'in')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }), 'count')
    .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'count');
}

/** A pass-through: `input` to `output`, string keys and values. */
export function copyTopology(input: string, output: string) {
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'in');
}

/** A KafkaStreams instance on the test broker with its own state directory and quick commits. */
export function testStreams(
  topology: ConstructorParameters<typeof KafkaStreams>[0],
  applicationId: string,
  stateDir = mkdtempSync(join(tmpdir(), 'kstreams-reset-')),
  options: Partial<StreamsConfigOptions> = {},
): KafkaStreams {
  return new KafkaStreams(topology, { applicationId, bootstrapServers: testBrokers(), commitIntervalMs: 100, statestoreCacheMaxBytes: 0, stateDir, ...options });
}

/** A record as read back: partition, key, value and timestamp. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

/** Connected kafkajs admin and producer on the test broker, plus a topic reader. */
export async function kafkaTools(): Promise<{ admin: Admin; producer: Producer; read: (topic: string) => Promise<{ records: ReadRecord[]; close: () => Promise<void> }>; close: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: uniqueTopicName('reset-tools'), brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  const read = async (topic: string) => {
    const consumer = kafka.consumer({ groupId: uniqueTopicName('reset-reader'), maxWaitTimeInMs: 200 });
    const records: ReadRecord[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) =>
        void records.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', timestamp: Number(message.timestamp) }),
    });
    return { records, close: () => consumer.disconnect() };
  };
  return { admin, producer, read, close: async () => void (await Promise.all([admin.disconnect(), producer.disconnect()])) };
}

/** Polls `condition` until it holds, or throws naming `description` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, description: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The group's committed offsets of `topic`, by partition (-1 for none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<number[]> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (result?.partitions ?? []).sort((left, right) => left.partition - right.partition).map(({ offset }) => Number(offset));
}
