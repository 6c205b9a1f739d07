/**
 * The task engine's port types the runtime implements or passes through, gathered in one place.
 */
export {
  noopLogger,
  stderrLogger,
  type DeserializationExceptionHandler,
  type HandlerResponse,
  type Logger,
  type MaybePromise,
  type OutgoingRecord,
  type ProcessingExceptionHandler,
  type RawRecord,
  type RecordCollector,
} from '@kstreams/core';
