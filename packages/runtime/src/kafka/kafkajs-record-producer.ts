import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import type { AcknowledgedOffset, ProducerRecord, RecordProducer } from './kafka-client.js';
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
    // Every record carries its partition; naming the partitioner keeps kafkajs from warning that its default changed.
    this.#producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, idempotent: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(records: readonly ProducerRecord[]): Promise<readonly AcknowledgedOffset[]> {
    if (records.length === 0) return [];
    const byTopic = new Map<string, TopicMessages>();
    const perPartition = new Map<string, number>();
    for (const record of records) {
      let entry = byTopic.get(record.topic);
      if (entry === undefined) {
        entry = { topic: record.topic, messages: [] };
        byTopic.set(record.topic, entry);
      }
      entry.messages.push(toKafkajsMessage(record));
      const key = `${record.topic}\u0000${record.partition}`;
      perPartition.set(key, (perPartition.get(key) ?? 0) + 1);
    }
    const results = await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic.values()] });
    // One record batch per partition and request: the base offset plus the records sent there.
    return results.flatMap(({ topicName, partition, baseOffset }) => {
      const count = perPartition.get(`${topicName}\u0000${partition}`) ?? 0;
      return baseOffset === undefined || count === 0 ? [] : [{ topic: topicName, partition, lastOffset: Number(baseOffset) + count - 1 }];
    });
  }

  disconnect(): Promise<void> {
    this.#disconnecting ??= this.#producer.disconnect();
    return this.#disconnecting;
  }
}
