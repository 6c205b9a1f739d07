import { Kafka, logLevel as KafkajsLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../internal/engine-ports.js';
import type { StreamsConfig } from '../streams-config.js';
import type { ChangelogReaderClient, KafkaAdmin, KafkaClientFactory, RecordProducer, StreamConsumer, StreamConsumerOptions } from './kafka-client.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsChangelogReader } from './kafkajs-changelog-reader.js';
import { KafkajsStreamConsumer } from './group/kafkajs-stream-consumer.js';
import { KafkaProtocolRecordProducer } from '@kstreams/kafka-protocol';
import { kafkajsLogLevel } from './kafkajs-log-levels.js';

/**
 * Routes kafkajs' log lines to our logger; kafkajs' INFO chatter goes to debug, and its routine
 * ERROR/WARN lines (rebalances, retried connections, topics that exist) to debug or info
 * (see {@link kafkajsLogLevel}).
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    // kafkajs' own timestamp and logger name only repeat what the logger adds.
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
    const kafkajsLevel = level === KafkajsLogLevel.ERROR ? 'error' : level === KafkajsLogLevel.WARN ? 'warn' : 'info';
    const write = logger[kafkajsLogLevel({ namespace, level: kafkajsLevel, message, extra })];
    const line = `kafkajs ${namespace}: ${message}`;
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

  /** Our own idempotent producer (`@kstreams/kafka-protocol`): RecordBatch v2 per partition, several requests in flight per broker. */
  createProducer(): RecordProducer {
    return new KafkaProtocolRecordProducer(this.#kafka, { logger: this.#config.logger });
  }

  createAdmin(): KafkaAdmin {
    return new KafkajsAdmin(this.#kafka);
  }

  createChangelogReader(): ChangelogReaderClient {
    return new KafkajsChangelogReader(this.#kafka, { logger: this.#config.logger });
  }
}
