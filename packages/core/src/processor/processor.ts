import type { FixedKeyProcessorContext, ProcessorContext } from './processor-context.js';
import type { Record } from './record.js';

/**
 * Processes records one at a time. `process` may return a promise: the engine awaits it
 * before giving the task its next record, so per-partition order holds.
 *
 * @example
 * class Upper implements Processor<string, string, string, string> {
 *   #context!: ProcessorContext<string, string>;
 *   init(context: ProcessorContext<string, string>) { this.#context = context; }
 *   process(record: Record<string, string>) {
 *     this.#context.forward(record.withValue(record.value.toUpperCase()));
 *   }
 * }
 */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  process(record: Record<KIn, VIn>): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** A processor that may change values and timestamps but never keys (no repartitioning). */
export interface FixedKeyProcessor<KIn, VIn, VOut = never> {
  init?(context: FixedKeyProcessorContext<KIn, VOut>): void | Promise<void>;
  process(record: Record<KIn, VIn>): void | Promise<void>;
  close?(): void | Promise<void>;
}

/**
 * Receives the records of one engine batch at once (in order), e.g. to do async I/O for many
 * records together. Forward with `context.forwardBatch(records)` or `context.forward(record)`.
 */
export interface BatchProcessor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  processBatch(records: readonly Record<KIn, VIn>[]): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Creates a new processor instance per task. Must return a fresh object on every call. */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () =>
  | Processor<KIn, VIn, KOut, VOut>
  | BatchProcessor<KIn, VIn, KOut, VOut>;

/** Creates a new fixed-key processor instance per task. */
export type FixedKeyProcessorSupplier<KIn, VIn, VOut = never> = () => FixedKeyProcessor<KIn, VIn, VOut>;

/** True when the processor takes batches. */
export function isBatchProcessor<KIn, VIn, KOut, VOut>(
  processor: Processor<KIn, VIn, KOut, VOut> | BatchProcessor<KIn, VIn, KOut, VOut>,
): processor is BatchProcessor<KIn, VIn, KOut, VOut> {
  return typeof (processor as BatchProcessor<KIn, VIn, KOut, VOut>).processBatch === 'function';
}
