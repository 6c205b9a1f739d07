import type { OutgoingRecord, RecordCollector } from '@kstreams/core';
import type { CapturedRecord } from './test-record.js';

/**
 * The driver's record collector: keeps every record the topology produced, per topic, until an
 * output topic reads it. Records produced to the topology's own input topics are also handed
 * back to the driver (`drainPipedBack()`), which pipes them back in.
 */
export class OutputBuffer implements RecordCollector {
  readonly #byTopic = new Map<string, { records: CapturedRecord[]; readIndex: number }>();
  readonly #producedTopics = new Set<string>();
  readonly #isInputTopic: (topic: string) => boolean;
  #pipedBack: CapturedRecord[] | undefined;

  /** `isInputTopic` tells which produced records the driver pipes back in. */
  constructor(isInputTopic: (topic: string) => boolean) {
    this.#isInputTopic = isInputTopic;
  }

  send(record: OutgoingRecord): void {
    const captured: CapturedRecord = {
      topic: record.topic,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: record.headers.clone(),
    };
    this.#producedTopics.add(record.topic);
    if (this.#isInputTopic(record.topic)) (this.#pipedBack ??= []).push(captured);
    const queue = this.#byTopic.get(record.topic);
    if (queue === undefined) this.#byTopic.set(record.topic, { records: [captured], readIndex: 0 });
    else queue.records.push(captured);
  }

  flush(): void {}

  /** Records produced to input topics since the last call, oldest first; `undefined` when none. */
  drainPipedBack(): CapturedRecord[] | undefined {
    const pipedBack = this.#pipedBack;
    this.#pipedBack = undefined;
    return pipedBack;
  }

  /** Removes and returns the oldest unread record of `topic`. */
  read(topic: string): CapturedRecord | undefined {
    const queue = this.#byTopic.get(topic);
    if (queue === undefined || queue.readIndex >= queue.records.length) return undefined;
    const record = queue.records[queue.readIndex++];
    // Drop the read prefix now and then; Array#shift would make reading n records O(n²).
    if (queue.readIndex > 1024 && queue.readIndex * 2 > queue.records.length) {
      queue.records = queue.records.slice(queue.readIndex);
      queue.readIndex = 0;
    }
    return record;
  }

  /** Unread records of `topic`. */
  size(topic: string): number {
    const queue = this.#byTopic.get(topic);
    return queue === undefined ? 0 : queue.records.length - queue.readIndex;
  }

  /** Every topic the topology produced to so far. */
  producedTopics(): Set<string> {
    return new Set(this.#producedTopics);
  }
}
