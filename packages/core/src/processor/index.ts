export { Headers, type Header, type HeaderValue } from './headers.js';
export { Record } from './record.js';
export {
  isBatchProcessor,
  type BatchProcessor,
  type FixedKeyProcessor,
  type FixedKeyProcessorSupplier,
  type Processor,
  type ProcessorSupplier,
} from './processor.js';
export type { FixedKeyProcessorContext, ProcessingContext, ProcessorContext } from './processor-context.js';
export { PunctuationType, type Cancellable, type Punctuator } from './punctuation.js';
export type { RecordMetadata } from './record-metadata.js';
export { formatTaskId, parseTaskId, type TaskId } from './task-id.js';
export type { ConsumedRecord, TimestampExtractor } from './timestamp-extractor.js';
export {
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  RecordTimestampExtractor,
  timestampExtractor,
  UsePartitionTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
  type TimestampClock,
  type TimestampWarningLogger,
} from './timestamp-extractors.js';
export type { StreamPartitioner, TopicNameExtractor } from './sink-functions.js';
