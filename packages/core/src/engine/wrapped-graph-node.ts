import type { Record } from '../processor/record.js';
import type { GraphNode } from './graph-node.js';
import { runInOrder, type MaybePromise } from './maybe-promise.js';
import type { NodeInterceptor } from './processor-wrapper.js';

/**
 * A node of a task graph seen through a {@link NodeInterceptor}: parents forward into this
 * decorator, which runs the interceptor's `process` around the wrapped node's `receive`.
 */
export class WrappedGraphNode implements GraphNode {
  readonly name: string;
  /** The node this one wraps. */
  readonly inner: GraphNode;
  readonly #process: NonNullable<NodeInterceptor['process']>;
  readonly #proceed: (record: Record<unknown, unknown>) => MaybePromise<void>;

  constructor(inner: GraphNode, process: NonNullable<NodeInterceptor['process']>) {
    this.name = inner.name;
    this.inner = inner;
    this.#process = process;
    this.#proceed = (record) => inner.receive(record);
  }

  receive(record: Record<unknown, unknown>): MaybePromise<void> {
    return this.#process(record, this.#proceed);
  }

  receiveBatch(records: readonly Record<unknown, unknown>[]): MaybePromise<void> {
    return runInOrder(records, (record) => this.receive(record));
  }

  init(): MaybePromise<void> {
    return this.inner.init();
  }

  close(): MaybePromise<void> {
    return this.inner.close();
  }
}
