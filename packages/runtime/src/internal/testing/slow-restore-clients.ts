import type { ChangelogReaderClient } from '../../kafka/kafka-client.js';
import { KafkajsClientFactory } from '../../kafka/kafkajs-client-factory.js';
import type { StreamsConfig } from '../../streams-config.js';

/** Kafka clients whose changelog reads take `delayMs` longer (1,000 records each), so a restore surely takes a while. */
export class SlowRestoreClients extends KafkajsClientFactory {
  constructor(config: StreamsConfig, readonly delayMs: number) {
    super(config);
  }

  override createChangelogReader(): ChangelogReaderClient {
    const reader = super.createChangelogReader();
    return {
      read: async (partition, options) => {
        await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        return reader.read(partition, { ...options, maxRecords: 1_000 });
      },
      endOffsets: (partitions) => reader.endOffsets(partitions),
      beginningOffsets: (partitions) => reader.beginningOffsets(partitions),
      disconnect: () => reader.disconnect(),
    };
  }
}
