import { Kafka, logLevel as KafkajsLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../internal/engine-ports.js';
import type { StreamsConfig } from '../streams-config.js';
import type { ChangelogReaderClient, KafkaAdmin, KafkaClientFactory, RecordProducer, StreamConsumer, StreamConsumerOptions } from './kafka-client.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsChangelogReader } from './kafkajs-changelog-reader.js';
import { KafkajsStreamConsumer } from './group/kafkajs-stream-consumer.js';
import { KafkajsRecordProducer } from './kafkajs-record-producer.js';

/** Routes kafkajs' log lines to our logger; kafkajs' INFO chatter goes to debug. */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    // kafkajs' own timestamp and logger name only repeat what the logger adds.
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    const line = `kafkajs ${namespace}: ${message}`;
    const write = level === KafkajsLogLevel.ERROR ? logger.error : level === KafkajsLogLevel.WARN ? logger.warn : logger.debug;
    // No empty `{}` after the line when kafkajs sent no fields (e.g. with `logger: console`).
    if (Object.keys(extra).length === 0) write.call(logger, line);
    else write.call(logger, line, extra);
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

  createConsumer(options: StreamConsumerOptions): StreamConsumer {
    return new KafkajsStreamConsumer(this.#kafka, options);
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
