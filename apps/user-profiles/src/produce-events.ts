import kafkajs, { type Kafka } from 'kafkajs';
import { generatedEvent, type EventPlan } from './profile-event-generator.js';

/** Where and how to write a plan's events. */
export interface ProduceOptions {
  readonly topic: string;
  readonly plan: EventPlan;
  /** The record timestamp of event `index`. */
  readonly timestampOf: (index: number) => number;
  /** Events from this index on (default 0) up to `plan.events`. */
  readonly from?: number;
  /** Raw records to write before the events (e.g. broken JSON), stamped like event 0. */
  readonly extraRecords?: readonly { readonly key: string; readonly value: string }[];
}

/**
 * Writes the plan's events, keyed by user id (murmur2 partitioning, so each user's events stay in
 * order on one partition), in batches of 10,000, one after the other.
 */
export async function produceEvents(kafka: Kafka, options: ProduceOptions): Promise<void> {
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    if (options.extraRecords !== undefined && options.extraRecords.length > 0) await producer.send({ topic: options.topic, acks: -1, messages: options.extraRecords.map((record) => ({ ...record, timestamp: String(options.timestampOf(0)) })) });
    // One request at a time: concurrent sends may land out of order on a partition, and a
    // user's later event (a higher seq) ahead of an earlier one makes the fold skip the earlier.
    const chunk = 10_000;
    for (let start = options.from ?? 0; start < options.plan.events; start += chunk) {
      const messages = [];
      for (let index = start; index < Math.min(start + chunk, options.plan.events); index++) {
        const event = generatedEvent(options.plan, index);
        messages.push({ key: event.userId, value: JSON.stringify(event), timestamp: String(options.timestampOf(index)) });
      }
      await producer.send({ topic: options.topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
