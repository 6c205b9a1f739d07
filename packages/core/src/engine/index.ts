export { ManualClock, systemClock, type Clock } from './clock.js';
export {
  DEAD_LETTER_HEADERS,
  deserializationHandlers,
  type DeserializationExceptionHandler,
  type DeserializationHandlerContext,
  type HandlerResponse,
  type RawRecord,
} from './deserialization-exception-handler.js';
export { isMetricsRecordingLevel, recordsLevel, type EngineMetricsOptions, type MetricsRecordingLevel } from './engine-metrics.js';
export { GlobalStateTask, type GlobalStateTaskOptions } from './global-state-task.js';
export { InProcessStateManager, type InProcessStateManagerOptions } from './in-process-state-manager.js';
export { noopLogger, prefixedLogger, type Logger } from './logger.js';
export { describeError, formatLogLine, stderrLogger, type LogEvent, type LogLevel, type StderrLoggerOptions } from './stderr-logger.js';
export { chain, isPromiseLike, type MaybePromise } from './maybe-promise.js';
export {
  processingHandlers,
  type ProcessingExceptionHandler,
  type ProcessingHandlerContext,
} from './processing-exception-handler.js';
export {
  composeProcessorWrappers,
  type NodeInterceptor,
  type ProcessorWrapper,
  type WrappedNode,
  type WrappedNodeKind,
} from './processor-wrapper.js';
export type { OutgoingRecord, PartitionChooser, RecordCollector } from './record-collector.js';
export type { StateManager, StateManagerHooks } from './state-manager.js';
export { StreamTask, type ConsumedOffset, type GlobalStoreProvider, type StreamTaskOptions, type TaskState } from './stream-task.js';
export {
  composeTaskLifecycleListeners,
  type CommitEvent,
  type TaskKind,
  type TaskLifecycleEvent,
  type TaskLifecycleListener,
} from './task-lifecycle-listener.js';
export { recordTimestamp, type TaskConfig } from './task-config.js';
export type { DropReason } from './task-metrics.js';
