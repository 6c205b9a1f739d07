import type { BatchProcessor, FixedKeyProcessor, Processor } from '../processor/processor.js';
import type { Record } from '../processor/record.js';
import type { BatchNodeBuffer, GraphNode } from './graph-node.js';
import { isPromiseLike, runInOrder, type MaybePromise } from './maybe-promise.js';
import { NodeContext } from './node-context.js';
import type { NodeHost } from './node-host.js';
import { handleProcessingFailure } from './processing-failure.js';

type AnyProcessor =
  | Processor<unknown, unknown, unknown, unknown>
  | FixedKeyProcessor<unknown, unknown, unknown>
  | BatchProcessor<unknown, unknown, unknown, unknown>;

function isBatch(processor: AnyProcessor | undefined): processor is BatchProcessor<unknown, unknown, unknown, unknown> {
  return typeof (processor as Partial<BatchProcessor<unknown, unknown>> | undefined)?.processBatch === 'function';
}

/**
 * A source or processor node of a task. A source has no processor and forwards what it
 * receives. Calls into the processor are serialized per node: when `process` returns a
 * promise, later records wait for it, so order holds even for async processors. A batch
 * processor's records are buffered until the task flushes them.
 */
export class ProcessorNode implements GraphNode, BatchNodeBuffer {
  readonly name: string;
  readonly context: NodeContext;
  readonly #host: NodeHost;
  readonly #processor: AnyProcessor | undefined;
  #tail: Promise<void> | undefined;
  #buffer: Record<unknown, unknown>[] = [];

  constructor(options: { name: string; host: NodeHost; processor?: AnyProcessor; storeNames?: readonly string[] }) {
    this.name = options.name;
    this.#host = options.host;
    this.#processor = options.processor;
    this.context = new NodeContext(options.host, options.name, options.storeNames ?? []);
  }

  get isBatchProcessor(): boolean {
    return isBatch(this.#processor);
  }

  get bufferedCount(): number {
    return this.#buffer.length;
  }

  init(): MaybePromise<void> {
    return this.#processor?.init?.(this.context as never);
  }

  close(): MaybePromise<void> {
    return this.#processor?.close?.();
  }

  receive(record: Record<unknown, unknown>): MaybePromise<void> {
    if (isBatch(this.#processor)) {
      this.#buffer.push(record);
      if (this.#buffer.length === 1) this.#host.markBatchPending(this);
      return undefined;
    }
    // The common case (no earlier call still running): call the processor directly, no closures.
    if (this.#tail === undefined) return this.#adoptTail(this.#invoke(record));
    return this.#serially(() => this.#invoke(record));
  }

  receiveBatch(records: readonly Record<unknown, unknown>[]): MaybePromise<void> {
    if (isBatch(this.#processor)) {
      if (this.#buffer.length === 0 && records.length > 0) this.#host.markBatchPending(this);
      this.#buffer.push(...records);
      return undefined;
    }
    return runInOrder(records, (record) => this.receive(record));
  }

  /** Hands the buffered records to the batch processor in one call. */
  flushBatch(): MaybePromise<void> {
    const processor = this.#processor;
    if (!isBatch(processor) || this.#buffer.length === 0) return undefined;
    const records = this.#buffer;
    this.#buffer = [];
    return this.#serially(() => this.#guard(records, () => processor.processBatch(records)));
  }

  #invoke(record: Record<unknown, unknown>): MaybePromise<void> {
    const processor = this.#processor as Processor<unknown, unknown> | undefined;
    if (processor === undefined) {
      this.context.forward(record);
      return undefined;
    }
    let result: void | Promise<void>;
    try {
      result = processor.process(record);
    } catch (error) {
      handleProcessingFailure(this.#host, this.name, [record], error);
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return result.then(undefined, (error: unknown) => handleProcessingFailure(this.#host, this.name, [record], error));
  }

  #guard(records: readonly Record<unknown, unknown>[], action: () => void | Promise<void>): MaybePromise<void> {
    let result: void | Promise<void>;
    try {
      result = action();
    } catch (error) {
      handleProcessingFailure(this.#host, this.name, records, error);
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return result.then(undefined, (error: unknown) => handleProcessingFailure(this.#host, this.name, records, error));
  }

  #serially(action: () => MaybePromise<void>): MaybePromise<void> {
    const previous = this.#tail;
    return this.#adoptTail(previous === undefined ? action() : previous.then(action));
  }

  /** Makes a pending `result` the tail later calls wait for. */
  #adoptTail(result: MaybePromise<void>): MaybePromise<void> {
    if (!isPromiseLike(result)) return undefined;
    this.#tail = result;
    const clear = (): void => {
      if (this.#tail === result) this.#tail = undefined;
    };
    result.then(clear, clear);
    return result;
  }
}
