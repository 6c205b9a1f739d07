import { SerializationError, TopologyError } from '../errors/streams-error.js';
import type { TimestampExtractor } from '../processor/timestamp-extractor.js';
import type { Deserializer } from '../serde/serde.js';
import type { SourceNodeModel } from '../topology/topology-model.js';
import type { DeserializationExceptionHandler, RawRecord } from './deserialization-exception-handler.js';
import type { Logger } from './logger.js';
import type { StampedRecord } from './partition-queue.js';
import { recordTimestamp } from './task-config.js';
import type { RecordCollector } from './record-collector.js';
import type { TaskMetrics } from './task-metrics.js';

/** What {@link createRecordDecoder} needs. */
export interface RecordDecoderOptions {
  readonly source: SourceNodeModel;
  readonly taskId: string;
  readonly keyDeserializer: Deserializer<unknown> | undefined;
  readonly valueDeserializer: Deserializer<unknown> | undefined;
  readonly timestampExtractor: TimestampExtractor;
  readonly handler: DeserializationExceptionHandler;
  readonly collector: RecordCollector;
  readonly logger: Logger;
  readonly metrics: TaskMetrics;
}

function requireDeserializer(options: RecordDecoderOptions, part: 'key' | 'value'): Deserializer<unknown> {
  const deserializer = part === 'key' ? options.keyDeserializer : options.valueDeserializer;
  if (deserializer !== undefined) return deserializer;
  throw new TopologyError(
    `Source "${options.source.name}" has no ${part} deserializer and no default ${part} serde is configured. ` +
      `Pass ${part}Deserializer to addSource("${options.source.name}", ...) or set default${part === 'key' ? 'Key' : 'Value'}Serde in the config.`,
    { taskId: options.taskId },
  );
}

/**
 * Builds the decoder of one source node: deserializes key and value (errors go to the
 * deserialization exception handler) and extracts the timestamp (negative drops the record).
 * Dropped records are counted in the task metrics.
 */
export function createRecordDecoder(options: RecordDecoderOptions): (raw: RawRecord, partitionTimeMs: number) => StampedRecord | undefined {
  const keyDeserializer = requireDeserializer(options, 'key');
  const valueDeserializer = requireDeserializer(options, 'value');
  const handlerContext = {
    taskId: options.taskId,
    sourceNodeName: options.source.name,
    logger: options.logger,
    collector: options.collector,
  };
  return (raw, partitionTimeMs) => {
    let key: unknown;
    let value: unknown;
    try {
      key = keyDeserializer.deserialize(raw.topic, raw.key, raw.headers);
      value = valueDeserializer.deserialize(raw.topic, raw.value, raw.headers);
    } catch (error) {
      if (options.handler.handle(handlerContext, raw, error) === 'CONTINUE') {
        options.metrics.recordDropped('deserialization-error');
        return undefined;
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new SerializationError(
        `Source "${options.source.name}" in task ${options.taskId} cannot deserialize the record at topic "${raw.topic}" ` +
          `partition ${raw.partition} offset ${raw.offset}: ${reason}. Fix the data or the deserializer, or set a ` +
          'deserialization exception handler (e.g. deserializationHandlers.logAndContinue) to skip such records.',
        { cause: error, taskId: options.taskId },
      );
    }
    // The default extractor reads the Kafka timestamp: skip building the consumed record for it.
    const timestamp = options.timestampExtractor === recordTimestamp
      ? raw.timestamp
      : options.timestampExtractor.extract(
          // Field by field, not a spread: a runtime's raw record may hold key and value as accessors.
          { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp, headers: raw.headers, key, value },
          partitionTimeMs,
        );
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      options.logger.warn(
        `Dropping the record at topic "${raw.topic}" partition ${raw.partition} offset ${raw.offset}: its extracted timestamp ${timestamp} is negative.`,
      );
      options.metrics.recordDropped('negative-timestamp');
      return undefined;
    }
    return { raw, key, value, timestamp };
  };
}
