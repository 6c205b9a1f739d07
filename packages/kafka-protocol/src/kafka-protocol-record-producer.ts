import type { Headers } from '@kstreams/core';
import type { Kafka } from 'kafkajs';
import { BatchProducer } from './batch-producer.js';
import type { BatchProducerOptions } from './batch-producer-options.js';

/** A record ready to be produced (the runtime's `ProducerRecord`, same shape). */
export interface RuntimeProducerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** The last acknowledged offset of one partition (the runtime's `AcknowledgedOffset`). */
export interface RuntimeAcknowledgedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly lastOffset: number;
}

/**
 * The runtime's `RecordProducer` (packages/runtime/src/kafka/kafka-client.ts) on a
 * {@link BatchProducer}: idempotent, acks=all, 5 requests in flight per broker. Swap it in for
 * `KafkajsRecordProducer` in the client factory:
 *
 * @example
 * createProducer(): RecordProducer {
 *   return new KafkaProtocolRecordProducer(this.#kafka, { logger: this.#config.logger });
 * }
 */
export class KafkaProtocolRecordProducer {
  /** The underlying producer: `hasRoom()` / `whenRoom()` give back-pressure to a record collector. */
  readonly producer: BatchProducer;

  constructor(kafka: Kafka, options: Omit<BatchProducerOptions, 'transactionalId'> = {}) {
    this.producer = new BatchProducer(kafka, options);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Resolves with the last offset per partition once every record is acknowledged; rejects with the first failure. */
  send(records: readonly RuntimeProducerRecord[]): Promise<readonly RuntimeAcknowledgedOffset[]> {
    return this.producer.send(records);
  }

  /** Whether the buffer is below its bounds. */
  hasRoom(): boolean {
    return this.producer.hasRoom();
  }

  /** Resolves when there is room in the buffer again. */
  whenRoom(): Promise<void> {
    return this.producer.whenRoom();
  }

  /** Sends everything buffered and waits for it. */
  flush(): Promise<void> {
    return this.producer.flush();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
