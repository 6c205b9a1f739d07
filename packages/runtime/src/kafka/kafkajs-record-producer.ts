import type { Kafka, Producer, TopicMessages } from 'kafkajs';
import type { ProducerRecord, RecordProducer } from './kafka-client.js';
import { toKafkajsMessage } from './kafkajs-conversions.js';

/**
 * {@link RecordProducer} on kafkajs 2.2.4: acks from all in-sync replicas, one request in flight
 * per broker (order kept across retries), a bounded number of retries so a failing send is
 * reported instead of retried forever, and no topic auto-creation (sink topics must exist).
 */
export class KafkajsRecordProducer implements RecordProducer {
  readonly #producer: Producer;
  #disconnecting: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(records: readonly ProducerRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, TopicMessages>();
    for (const record of records) {
      let entry = byTopic.get(record.topic);
      if (entry === undefined) {
        entry = { topic: record.topic, messages: [] };
        byTopic.set(record.topic, entry);
      }
      entry.messages.push(toKafkajsMessage(record));
    }
    await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
  }

  disconnect(): Promise<void> {
    this.#disconnecting ??= this.#producer.disconnect();
    return this.#disconnecting;
  }
}
