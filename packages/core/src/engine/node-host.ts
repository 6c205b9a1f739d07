import type { Record } from '../processor/record.js';
import type { Punctuator, PunctuationType, Cancellable } from '../processor/punctuation.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { TaskId } from '../processor/task-id.js';
import type { Serde } from '../serde/serde.js';
import type { StateStore } from '../state/state-store.js';
import type { Logger } from './logger.js';
import type { ProcessingExceptionHandler } from './processing-exception-handler.js';
import type { RecordCollector } from './record-collector.js';
import type { TaskMetrics } from './task-metrics.js';
import type { BatchNodeBuffer } from './graph-node.js';

/**
 * What the nodes of a task need from it. The task implements this; nodes and their contexts
 * never see the task itself, which keeps the node code small and testable.
 */
export interface NodeHost {
  readonly taskId: TaskId;
  /** Printed task id, e.g. `0_3`. */
  readonly taskIdText: string;
  readonly applicationId: string;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly logger: Logger;
  readonly collector: RecordCollector;
  readonly metrics: TaskMetrics;
  readonly processingExceptionHandler: ProcessingExceptionHandler;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  /** The source record being processed; `undefined` while punctuating or flushing batches. */
  recordMetadata(): RecordMetadata | undefined;
  streamTimeMs(): number;
  systemTimeMs(): number;
  /** The store if it exists in the task; connection checks are the caller's job. */
  store(name: string): StateStore | undefined;
  /** A read-only view of a global store, when the application has one by that name. */
  globalStore?(name: string): StateStore | undefined;
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  requestCommit(): void;
  /** Keeps a promise started by a forward, so the task awaits it before the next record. */
  trackPending(promise: Promise<void>): void;
  /** A batch processor received records; the task flushes it before the batch ends. */
  markBatchPending(node: BatchNodeBuffer): void;
  /** Tells the node's interceptor (if any) about an error, before the exception handler runs. */
  reportProcessingError?(nodeName: string, records: readonly Record<unknown, unknown>[], error: unknown): void;
}
