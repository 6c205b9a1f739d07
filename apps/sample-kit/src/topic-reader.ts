import type { Kafka } from 'kafkajs';

/** A record read back from a topic: key and value as text, header values as text. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A background reader of some topics; see {@link startTopicReader}. */
export interface TopicReader {
  /** Every record read so far, per topic, in the order read. */
  readonly read: ReadonlyMap<string, ReadRecord[]>;
  /** Resolves once `done` holds on what was read; throws after `timeoutMs`, listing what was read. */
  waitFor(done: (records: ReadonlyMap<string, ReadRecord[]>) => boolean, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads `topics` from the beginning through a fresh consumer group, in the background, keeping
 * every record. The consumer is read_committed (kafkajs' default), so under exactly-once it
 * sees only committed transactions.
 */
export async function startTopicReader(kafka: Kafka, topics: readonly string[]): Promise<TopicReader> {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 200 });
  const read = new Map<string, ReadRecord[]>(topics.map((topic) => [topic, []]));
  let changed: () => void = () => {};
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  void consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
      read.get(topic)?.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers });
      changed();
    },
  });
  return {
    read,
    async waitFor(done, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!done(read)) {
        if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms; read so far: ${JSON.stringify(Object.fromEntries(read))}`);
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, 250);
        });
      }
    },
    stop: () => consumer.disconnect(),
  };
}
