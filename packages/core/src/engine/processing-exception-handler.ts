import type { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { HandlerResponse } from './deserialization-exception-handler.js';
import type { Logger } from './logger.js';

/** Where a processing error happened. */
export interface ProcessingHandlerContext {
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
  /** The node whose `process` (or serializer, for sinks) threw. */
  readonly processorNodeName: string;
  /** The source record being processed; `undefined` while punctuating or in a batch. */
  readonly recordMetadata: RecordMetadata | undefined;
  readonly logger: Logger;
}

/**
 * Decides what happens when a processor or punctuator throws (`processing.exception.handler`,
 * KIP-1033). `CONTINUE` drops the record at that node (counted as dropped), or skips the rest of
 * that punctuation; `FAIL` stops the task. As in Kafka Streams, `record` is `null` for an error
 * thrown by a punctuator.
 */
export interface ProcessingExceptionHandler {
  handle(context: ProcessingHandlerContext, record: Record<unknown, unknown> | null, error: unknown): HandlerResponse;
}

/** Ready-made processing exception handlers. */
export const processingHandlers = {
  /** Logs the error and stops the task (the default). */
  logAndFail: {
    handle(context, _record, error) {
      context.logger.error(`Processor "${context.processorNodeName}" failed; failing the task.`, { error });
      return 'FAIL';
    },
  } satisfies ProcessingExceptionHandler as ProcessingExceptionHandler,

  /** Logs the error, drops the record at the failing node and goes on. */
  logAndContinue: {
    handle(context, _record, error) {
      context.logger.warn(`Processor "${context.processorNodeName}" failed; dropping the record.`, { error });
      return 'CONTINUE';
    },
  } satisfies ProcessingExceptionHandler as ProcessingExceptionHandler,
};
