import type { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { MaybePromise } from './maybe-promise.js';

/** What kind of node an interceptor wraps. */
export type WrappedNodeKind = 'source' | 'processor' | 'sink';

/** The node instance (of one task) a {@link ProcessorWrapper} is asked to wrap. */
export interface WrappedNode {
  readonly nodeName: string;
  readonly kind: WrappedNodeKind;
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
  readonly applicationId: string;
  /** Stores connected to the node (none for sources and sinks). */
  readonly storeNames: readonly string[];
  /** The task's wall clock (the test driver's clock in tests). */
  systemTimeMs(): number;
  /** Where the record being processed came from; `undefined` while punctuating. */
  recordMetadata(): RecordMetadata | undefined;
}

/**
 * Hooks around one node instance. `process` runs around every record the node receives and must
 * call `proceed` once (possibly with a changed record, e.g. new headers); for a source the call
 * covers the record's whole trip through the sub-topology, since forwarding is nested. `onError`
 * sees every error a node's processor, serializer or punctuator throws, before the processing
 * exception handler decides. An interceptor that throws fails the record like its processor would.
 */
export interface NodeInterceptor {
  process?(record: Record<unknown, unknown>, proceed: (record: Record<unknown, unknown>) => MaybePromise<void>): MaybePromise<void>;
  punctuate?(timestampMs: number, proceed: () => MaybePromise<void>): MaybePromise<void>;
  onError?(record: Record<unknown, unknown> | undefined, error: unknown): void;
}

/**
 * A topology-wide hook wrapping every node of every task (Kafka Streams' KIP-1112
 * `ProcessorWrapper`, applied to sources and sinks too). Called once per node when a task builds
 * its graph; return `undefined` to leave a node unwrapped (it then costs nothing per record).
 * The built-in per-node metrics and tracing of `@kstreams/metrics` are wrappers like this one.
 *
 * @example
 * const audit: ProcessorWrapper = {
 *   wrapNode: (node) => ({
 *     process: (record, proceed) => {
 *       seen.push(`${node.taskId}/${node.nodeName}`);
 *       return proceed(record);
 *     },
 *   }),
 * };
 */
export interface ProcessorWrapper {
  wrapNode(node: WrappedNode): NodeInterceptor | undefined;
}

/** One wrapper applying `wrappers` in order: the first one is the outermost. */
export function composeProcessorWrappers(...wrappers: readonly (ProcessorWrapper | undefined)[]): ProcessorWrapper {
  const present = wrappers.filter((wrapper): wrapper is ProcessorWrapper => wrapper !== undefined);
  if (present.length === 1) return present[0] as ProcessorWrapper;
  return {
    wrapNode: (node) => {
      const interceptors = present.map((wrapper) => wrapper.wrapNode(node)).filter((interceptor) => interceptor !== undefined);
      return interceptors.length <= 1 ? interceptors[0] : composeInterceptors(interceptors);
    },
  };
}

function composeInterceptors(interceptors: readonly NodeInterceptor[]): NodeInterceptor {
  const processing = interceptors.filter((interceptor) => interceptor.process !== undefined);
  const punctuating = interceptors.filter((interceptor) => interceptor.punctuate !== undefined);
  const erring = interceptors.filter((interceptor) => interceptor.onError !== undefined);
  const composed: { -readonly [Hook in keyof NodeInterceptor]: NodeInterceptor[Hook] } = {};
  if (processing.length > 0) {
    composed.process = (record, proceed) => {
      const run = (index: number, current: Record<unknown, unknown>): MaybePromise<void> => {
        const interceptor = processing[index];
        return interceptor === undefined ? proceed(current) : (interceptor.process as NonNullable<NodeInterceptor['process']>)(current, (next) => run(index + 1, next));
      };
      return run(0, record);
    };
  }
  if (punctuating.length > 0) {
    composed.punctuate = (timestampMs, proceed) => {
      const run = (index: number): MaybePromise<void> => {
        const interceptor = punctuating[index];
        return interceptor === undefined ? proceed() : (interceptor.punctuate as NonNullable<NodeInterceptor['punctuate']>)(timestampMs, () => run(index + 1));
      };
      return run(0);
    };
  }
  if (erring.length > 0) composed.onError = (record, error) => erring.forEach((interceptor) => interceptor.onError?.(record, error));
  return composed;
}
