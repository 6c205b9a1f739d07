import { ProcessingError, StreamsError, TopologyError } from '../errors/streams-error.js';
import type { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { NodeHost } from './node-host.js';

const HANDLED = Symbol.for('kstreams.engine.handled');

function describeOrigin(metadata: RecordMetadata | undefined): string {
  return metadata === undefined
    ? 'outside of record processing'
    : `on the record at topic "${metadata.topic}" partition ${metadata.partition} offset ${metadata.offset}`;
}

/** True for errors that must stop the task whatever the handler says. */
function isFatal(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && HANDLED in error) return true;
  return StreamsError.isInstance(error) && error instanceof TopologyError;
}

/**
 * Applies the processing exception handler to an error thrown by node `nodeName` for `records`:
 * returns normally when the records are dropped (`CONTINUE`, counted), throws a
 * `ProcessingError` naming the node, task and record when the task must fail. Errors already
 * handled deeper in the graph pass through untouched, so a failure is handled exactly once.
 */
export function handleProcessingFailure(
  host: NodeHost,
  nodeName: string,
  records: readonly Record<unknown, unknown>[],
  error: unknown,
): void {
  if (isFatal(error)) throw error;
  host.reportProcessingError?.(nodeName, records, error);
  const recordMetadata = host.recordMetadata();
  const context = { taskId: host.taskIdText, processorNodeName: nodeName, recordMetadata, logger: host.logger };
  const first = records[0];
  const response = first === undefined ? 'FAIL' : host.processingExceptionHandler.handle(context, first, error);
  if (response === 'CONTINUE') {
    for (let index = 0; index < records.length; index++) host.metrics.recordDropped('processing-error');
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const failure = new ProcessingError(
    `Processor "${nodeName}" in task ${host.taskIdText} failed ${describeOrigin(recordMetadata)}: ${reason}. ` +
      'Fix the processor, or set a processing exception handler (e.g. processingHandlers.logAndContinue) to drop such records.',
    { cause: error, taskId: host.taskIdText },
  );
  Object.defineProperty(failure, HANDLED, { value: true });
  throw failure;
}

/** True for an error already handled (it must pass through enclosing handlers untouched). */
export function isHandled(error: object): boolean {
  return HANDLED in error;
}

/** Marks an error as final so enclosing nodes rethrow it without calling the handler again. */
export function markHandled<E extends object>(error: E): E {
  Object.defineProperty(error, HANDLED, { value: true });
  return error;
}
