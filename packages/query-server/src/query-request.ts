import { StreamsError } from '@kstreams/core';

/** An answer other than 200, with its HTTP status. */
export class QueryHttpError extends StreamsError {
  readonly status: number;

  constructor(status: number, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options);
    this.status = status;
  }
}

/** One parsed request. `local` asks for this instance's part only (what fan-outs send). */
export type QueryRequest =
  | { readonly kind: 'key'; readonly store: string; readonly keyText: string }
  | { readonly kind: 'window'; readonly store: string; readonly keyText: string; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'session'; readonly store: string; readonly keyText: string }
  | { readonly kind: 'range'; readonly store: string; readonly from: string | undefined; readonly to: string | undefined; readonly limit: number; readonly local: boolean }
  | { readonly kind: 'all'; readonly store: string; readonly limit: number; readonly local: boolean }
  | { readonly kind: 'metadata' };

const USAGE = 'Use /stores/<store>/keys/<key>, /stores/<store>/windows/<key>?from=&to=, /stores/<store>/sessions/<key>, /stores/<store>/range?from=&to=&limit=, /stores/<store>/all?limit= or /metadata.';

/**
 * Parses a request path and query (path segments are URL-decoded, so keys may hold any
 * character).
 *
 * @throws QueryHttpError 404 for an unknown path, 400 for a bad parameter.
 */
export function parseQueryRequest(url: URL, defaultLimit: number): QueryRequest {
  const segments = url.pathname.split('/').filter((segment) => segment !== '').map(decodeSegment);
  const query = url.searchParams;
  if (segments.length === 1 && segments[0] === 'metadata') return { kind: 'metadata' };
  const [root, store, operation, keyText, ...rest] = segments;
  if (root !== 'stores' || store === undefined || operation === undefined || rest.length > 0) throw new QueryHttpError(404, `Unknown path ${url.pathname}. ${USAGE}`);
  const local = query.get('scope') === 'local';
  if (keyText === undefined) {
    const limit = integerParameter(query, 'limit', defaultLimit, 1);
    if (operation === 'all') return { kind: 'all', store, limit, local };
    if (operation === 'range') return { kind: 'range', store, from: query.get('from') ?? undefined, to: query.get('to') ?? undefined, limit, local };
  } else {
    if (operation === 'keys') return { kind: 'key', store, keyText };
    if (operation === 'sessions') return { kind: 'session', store, keyText };
    if (operation === 'windows') return { kind: 'window', store, keyText, fromMs: integerParameter(query, 'from', 0, 0), toMs: integerParameter(query, 'to', Date.now(), 0) };
  }
  throw new QueryHttpError(404, `Unknown path ${url.pathname}. ${USAGE}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    throw new QueryHttpError(400, `The path segment "${segment}" is not valid URL encoding.`, { cause });
  }
}

function integerParameter(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new QueryHttpError(400, `Query parameter ${name}=${text} is not valid: expected an integer of at least ${min}.`);
  return value;
}
