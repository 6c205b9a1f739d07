import type { Kafka } from 'kafkajs';

/** A record read back from a topic, key and value as text. */
export interface ReadRecord {
  readonly key: string | null;
  readonly value: string | null;
}

/**
 * Reads `topics` from the beginning through a fresh consumer group, in the background, keeping
 * every record; `waitFor` resolves once a predicate holds on what was read so far (or throws
 * after `timeoutMs`, listing what was read).
 */
export async function startTopicReader(kafka: Kafka, topics: readonly string[]) {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 200 });
  const read = new Map<string, ReadRecord[]>(topics.map((topic) => [topic, []]));
  let changed: () => void = () => {};
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  void consumer.run({
    eachMessage: async ({ topic, message }) => {
      read.get(topic)?.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
      changed();
    },
  });
  return {
    read,
    async waitFor(done: (records: ReadonlyMap<string, ReadRecord[]>) => boolean, timeoutMs: number): Promise<void> {
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
