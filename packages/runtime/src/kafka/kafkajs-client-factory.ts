import { Kafka, logLevel as KafkajsLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../internal/engine-ports.js';
import type { StreamsConfig } from '../streams-config.js';
import type { ChangelogReaderClient, GroupConsumer, GroupConsumerOptions, KafkaAdmin, KafkaClientFactory, RecordProducer } from './kafka-client.js';
import { explainingGroupConsumer } from './coordinator-authorization.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsChangelogReader } from './kafkajs-changelog-reader.js';
import { KafkajsGroupConsumer } from './kafkajs-group-consumer.js';
import { KafkajsRecordProducer } from './kafkajs-record-producer.js';

/** Routes kafkajs' log lines to our logger; kafkajs' INFO chatter goes to debug. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, ...extra } = log;
    const line = `kafkajs ${namespace}: ${message}`;
    if (level === KafkajsLogLevel.ERROR) logger.error(line, extra);
    else if (level === KafkajsLogLevel.WARN) logger.warn(line, extra);
    else logger.debug(line, extra);
  };
}

/**
 * Creates kafkajs clients from a {@link StreamsConfig}: one `Kafka` instance with the client id,
 * brokers and the pass-through options (TLS, SASL, timeouts, retries).
 */
export class KafkajsClientFactory implements KafkaClientFactory {
  readonly #kafka: Kafka;
  readonly #config: StreamsConfig;

  constructor(config: StreamsConfig) {
    this.#config = config;
    this.#kafka = new Kafka({
      ...config.kafka,
      clientId: config.clientId,
      brokers: [...config.bootstrapServers],
      logLevel: KafkajsLogLevel.INFO,
      logCreator: kafkajsLogCreator(config.logger),
    });
  }

  createConsumer(options: GroupConsumerOptions): GroupConsumer {
    return explainingGroupConsumer(new KafkajsGroupConsumer(this.#kafka, { ...options, tuning: this.#config.consumer }), this.#kafka, options.groupId);
  }

  createProducer(): RecordProducer {
    return new KafkajsRecordProducer(this.#kafka);
  }

  createAdmin(): KafkaAdmin {
    return new KafkajsAdmin(this.#kafka);
  }

  createChangelogReader(): ChangelogReaderClient {
    return new KafkajsChangelogReader(this.#kafka, { logger: this.#config.logger });
  }
}
