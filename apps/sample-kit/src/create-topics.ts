import type { Admin } from 'kafkajs';

/** A topic a sample app needs. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** Topic configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * Creates the topics that do not exist yet (kstreams creates only its internal topics, never
 * sources or sinks) and waits until every partition has a leader: kafkajs' `waitForLeaders`
 * can return before a busy broker serves new partitions. Returns whether any was created.
 */
export async function createTopics(admin: Admin, specs: readonly TopicSpec[], timeoutMs = 60_000): Promise<boolean> {
  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: specs.map(({ topic, partitions, configs }) => ({
      topic,
      numPartitions: partitions,
      replicationFactor: -1,
      configEntries: Object.entries(configs ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
  await waitForLeaders(admin, specs.map((spec) => spec.topic), timeoutMs);
  return created;
}

async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
    if (metadata?.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) return;
    if (Date.now() > deadline) throw new Error(`The topics ${topics.join(', ')} have no partition leaders after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
