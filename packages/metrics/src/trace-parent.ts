import { TraceFlags, isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/** The record header carrying W3C trace context. */
export const TRACEPARENT_HEADER = 'traceparent';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const decoder = new TextDecoder();

/**
 * Parses a W3C `traceparent` value (`00-<trace id>-<span id>-<flags>`) into a remote span
 * context; `undefined` for anything malformed, version `ff` or all-zero ids, as the spec says.
 */
export function parseTraceparent(value: Uint8Array | string | null | undefined): SpanContext | undefined {
  if (value === null || value === undefined) return undefined;
  const text = (typeof value === 'string' ? value : decoder.decode(value)).trim();
  const match = TRACEPARENT.exec(text);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || (version === '00' && text.length !== 55)) return undefined;
  const context: SpanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(context) ? context : undefined;
}

/** Formats a span context as a version-00 `traceparent` value. */
export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}
