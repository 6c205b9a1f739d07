import { SpanKind, SpanStatusCode, context, trace, type Link, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { isPromiseLike, type MaybePromise, type NodeInterceptor, type ProcessorWrapper, type Record, type WrappedNode } from '@kstreams/core';
import { ATTRIBUTES } from './metric-names.js';
import type { StreamsMetrics } from './streams-metrics.js';
import { TRACEPARENT_HEADER, formatTraceparent, parseTraceparent } from './trace-parent.js';

/** Tracing settings (spans need the DEBUG recording level, as per-record work does in Kafka Streams). */
export interface TracingOptions {
  /** Where the tracer comes from; default: the global tracer provider. */
  readonly tracerProvider?: TracerProvider;
  /** Write each processed record's span context as `traceparent` into the records it produces. Default true. */
  readonly propagate?: boolean;
}

/** The tracer name (instrumentation scope) of kstreams spans. */
export const TRACER_NAME = 'kstreams';

/**
 * A span per processed record, built as a {@link ProcessorWrapper}: each source node starts a
 * `CONSUMER` span `process <source>` covering the record's trip through the sub-topology, linked
 * to the trace context the record carried in its `traceparent` header (W3C trace context); the
 * span is the active one while processors run, errors are recorded on it, and sinks write its
 * context into the records they produce (`propagate`). Uses `@opentelemetry/api` only; below
 * DEBUG it wraps nothing.
 */
export function tracingWrapper(streamsMetrics: StreamsMetrics, options: TracingOptions = {}): ProcessorWrapper {
  if (!streamsMetrics.records('DEBUG')) return { wrapNode: () => undefined };
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  const propagate = options.propagate ?? true;
  /** The span of the record each task is processing; a task processes one record at a time. */
  const activeSpans = new Map<string, Span>();
  return {
    wrapNode: (node) => {
      if (node.kind === 'source') return sourceInterceptor(node, tracer, activeSpans);
      const onError = (_record: unknown, error: unknown): void => recordError(activeSpans.get(node.taskId), error);
      if (node.kind === 'sink' && propagate) return { onError, process: (record, proceed) => proceed(withTraceparent(record, activeSpans.get(node.taskId))) };
      return { onError };
    },
  };
}

function sourceInterceptor(node: WrappedNode, tracer: Tracer, activeSpans: Map<string, Span>): NodeInterceptor {
  return {
    onError: (_record, error) => recordError(activeSpans.get(node.taskId), error),
    process: (record, proceed) => {
      const span = startSpan(node, tracer, record);
      activeSpans.set(node.taskId, span);
      const finish = (): void => {
        if (activeSpans.get(node.taskId) === span) activeSpans.delete(node.taskId);
        span.end();
      };
      let result: MaybePromise<void>;
      try {
        result = context.with(trace.setSpan(context.active(), span), () => proceed(record));
      } catch (error) {
        recordError(span, error);
        finish();
        throw error;
      }
      if (!isPromiseLike(result)) {
        finish();
        return undefined;
      }
      return result.then(finish, (error: unknown) => {
        recordError(span, error);
        finish();
        throw error;
      });
    },
  };
}

function startSpan(node: WrappedNode, tracer: Tracer, record: Record<unknown, unknown>): Span {
  const upstream = parseTraceparent(record.headers.lastHeader(TRACEPARENT_HEADER)?.value);
  const links: Link[] = upstream === undefined ? [] : [{ context: upstream }];
  const metadata = node.recordMetadata();
  return tracer.startSpan(`process ${node.nodeName}`, {
    kind: SpanKind.CONSUMER,
    root: true,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      [ATTRIBUTES.taskId]: node.taskId,
      [ATTRIBUTES.nodeId]: node.nodeName,
      ...(metadata === undefined ? {} : { 'messaging.destination.name': metadata.topic, 'messaging.destination.partition.id': String(metadata.partition), 'messaging.kafka.offset': metadata.offset }),
    },
  });
}

function withTraceparent(record: Record<unknown, unknown>, span: Span | undefined): Record<unknown, unknown> {
  if (span === undefined) return record;
  const headers = record.headers.clone().remove(TRACEPARENT_HEADER).add(TRACEPARENT_HEADER, formatTraceparent(span.spanContext()));
  return record.withHeaders(headers);
}

/** Spans that already carry an error: a failure is recorded where it happened, not again by each enclosing node. */
const failedSpans = new WeakSet<Span>();

function recordError(span: Span | undefined, error: unknown): void {
  if (span === undefined || failedSpans.has(span)) return;
  failedSpans.add(span);
  try {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  } catch {
    // Telemetry must never break processing.
  }
}
