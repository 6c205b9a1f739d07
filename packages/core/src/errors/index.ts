export {
  ConfigError,
  InvalidStateStoreError,
  ProcessingError,
  ProducerFencedError,
  SerializationError,
  StreamsError,
  TaskCorruptedError,
  TaskMigratedError,
  TopologyError,
  type StreamsErrorOptions,
} from './streams-error.js';
