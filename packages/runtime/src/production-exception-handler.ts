import type { HandlerResponse, Logger, OutgoingRecord } from './internal/engine-ports.js';

/** Where a send failed. */
export interface ProductionHandlerContext {
  /** Printed task id of the task that sent the record, e.g. `0_3`. */
  readonly taskId: string;
  readonly logger: Logger;
}

/**
 * Decides what happens when the producer cannot deliver a record
 * (`default.production.exception.handler` in Kafka Streams). `CONTINUE` drops the record and
 * counts it; `FAIL` fails the task at its next flush, so the offsets are not committed.
 */
export interface ProductionExceptionHandler {
  handle(context: ProductionHandlerContext, record: OutgoingRecord, error: unknown): HandlerResponse;
}

function describe(record: OutgoingRecord): string {
  return `record from "${record.producerName}" to topic "${record.topic}"`;
}

/** Ready-made production exception handlers. */
export const productionHandlers = {
  /** Logs the error and fails the task (the default, as in Kafka Streams). */
  logAndFail: {
    handle(context, record, error) {
      context.logger.error(`Cannot send the ${describe(record)}; failing the task.`, { error });
      return 'FAIL';
    },
  } satisfies ProductionExceptionHandler as ProductionExceptionHandler,

  /** Logs the error, drops the record (counted as dropped) and goes on. */
  logAndContinue: {
    handle(context, record, error) {
      context.logger.warn(`Dropping the ${describe(record)}: the producer could not send it.`, { error });
      return 'CONTINUE';
    },
  } satisfies ProductionExceptionHandler as ProductionExceptionHandler,
};
