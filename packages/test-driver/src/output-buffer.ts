import type { OutgoingRecord, RecordCollector } from '@kstreams/core';
import type { CapturedRecord } from './test-record.js';

/**
 * The driver's record collector: keeps every record the topology produced, per topic, until an
 * output topic reads it. Records produced since the last `drain()` are also handed back to the
 * driver so it can pipe records for its own input topics back in.
 */
export class OutputBuffer implements RecordCollector {
  readonly #byTopic = new Map<string, CapturedRecord[]>();
  readonly #producedTopics = new Set<string>();
  #recent: CapturedRecord[] = [];

  send(record: OutgoingRecord): void {
    const captured: CapturedRecord = {
      topic: record.topic,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: record.headers.clone(),
    };
    this.#producedTopics.add(record.topic);
    this.#recent.push(captured);
    const queue = this.#byTopic.get(record.topic);
    if (queue === undefined) this.#byTopic.set(record.topic, [captured]);
    else queue.push(captured);
  }

  flush(): void {}

  /** Records produced since the last call, oldest first. */
  drain(): CapturedRecord[] {
    const recent = this.#recent;
    this.#recent = [];
    return recent;
  }

  /** Removes and returns the oldest unread record of `topic`. */
  read(topic: string): CapturedRecord | undefined {
    return this.#byTopic.get(topic)?.shift();
  }

  /** Unread records of `topic`. */
  size(topic: string): number {
    return this.#byTopic.get(topic)?.length ?? 0;
  }

  /** Every topic the topology produced to so far. */
  producedTopics(): Set<string> {
    return new Set(this.#producedTopics);
  }
}
