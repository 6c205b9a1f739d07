import type { TimestampExtractor } from '../processor/timestamp-extractor.js';
import type { Serde } from '../serde/serde.js';
import type { Clock } from './clock.js';
import type { EngineMetricsOptions } from './engine-metrics.js';
import type { ProcessorWrapper } from './processor-wrapper.js';
import type { DeserializationExceptionHandler } from './deserialization-exception-handler.js';
import type { Logger } from './logger.js';
import type { ProcessingExceptionHandler } from './processing-exception-handler.js';

/**
 * Settings shared by every task of an application (the engine-level part of StreamsConfig).
 * Everything but `applicationId` has a default.
 */
export interface TaskConfig {
  readonly applicationId: string;
  /** Handed to processors and stores as `appConfigs()`. */
  readonly appConfigs?: Readonly<{ [key: string]: unknown }>;
  /** Used by sources and sinks without their own (de)serializers (`default.key.serde`). */
  readonly defaultKeySerde?: Serde<unknown>;
  readonly defaultValueSerde?: Serde<unknown>;
  /** Used by sources without their own extractor; default: the record's Kafka timestamp. */
  readonly defaultTimestampExtractor?: TimestampExtractor;
  /** Default: `deserializationHandlers.logAndFail`. */
  readonly deserializationExceptionHandler?: DeserializationExceptionHandler;
  /** Default: `processingHandlers.logAndFail`. */
  readonly processingExceptionHandler?: ProcessingExceptionHandler;
  /** Wall-clock time source; default: the system clock. */
  readonly clock?: Clock;
  /** Default: a logger that drops everything. */
  readonly logger?: Logger;
  /** `<stateDir>`; the task's stores live under `<stateDir>/<applicationId>/<taskId>`. */
  readonly stateDir?: string;
  /** Wraps every node of every task (KIP-1112); default: none. */
  readonly processorWrapper?: ProcessorWrapper;
  /** Where task and store metrics go; default: the global meter, every level recorded. */
  readonly metrics?: EngineMetricsOptions;
}

/** The default timestamp extractor: the timestamp Kafka stored with the record. */
export const recordTimestamp: TimestampExtractor = { extract: (record) => record.timestamp };
