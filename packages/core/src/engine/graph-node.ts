import type { Record } from '../processor/record.js';
import type { MaybePromise } from './maybe-promise.js';

/** A node of a running sub-topology: a source, processor or sink instance of one task. */
export interface GraphNode {
  readonly name: string;
  /** Handles one record; a returned promise settles when this node (and its children) are done. */
  receive(record: Record<unknown, unknown>): MaybePromise<void>;
  /** Handles records in order (batch processors take them in one call). */
  receiveBatch(records: readonly Record<unknown, unknown>[]): MaybePromise<void>;
  init(): MaybePromise<void>;
  close(): MaybePromise<void>;
}

/** A batch processor node's buffer, flushed by the task before a batch ends. */
export interface BatchNodeBuffer {
  readonly name: string;
  readonly bufferedCount: number;
  flushBatch(): MaybePromise<void>;
}
