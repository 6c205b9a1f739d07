import type { KafkaAdmin } from './kafka/kafka-client.js';

/**
 * Partition counts of output topics, looked up through the admin client once and cached.
 * A missing topic is not cached, so creating it later is noticed at the next send.
 */
export class TopicPartitionCounts {
  readonly #admin: Pick<KafkaAdmin, 'partitionCounts'>;
  readonly #counts = new Map<string, number>();

  constructor(admin: Pick<KafkaAdmin, 'partitionCounts'>) {
    this.#admin = admin;
  }

  /** The cached count, without asking the broker. */
  cached(topic: string): number | undefined {
    return this.#counts.get(topic);
  }

  /** Remembers a count learnt elsewhere (e.g. from topics created at start). */
  remember(topic: string, count: number): void {
    this.#counts.set(topic, count);
  }

  /** Counts of the topics; topics that do not exist are absent from the result. */
  async load(topics: Iterable<string>): Promise<ReadonlyMap<string, number>> {
    const wanted = [...new Set(topics)];
    const missing = wanted.filter((topic) => !this.#counts.has(topic));
    if (missing.length > 0) {
      for (const [topic, count] of await this.#admin.partitionCounts(missing)) this.#counts.set(topic, count);
    }
    const result = new Map<string, number>();
    for (const topic of wanted) {
      const count = this.#counts.get(topic);
      if (count !== undefined) result.set(topic, count);
    }
    return result;
  }
}
