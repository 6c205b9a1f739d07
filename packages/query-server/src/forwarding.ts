import type { HostInfo } from '@kstreams/runtime';
import { QueryHttpError } from './query-request.js';

/** Header of a request one instance forwards to another: the forwarding instance's address. */
export const FORWARDED_FROM_HEADER = 'x-kstreams-forwarded-from';
/** Header of an answer that another instance served: that instance's address. */
export const FORWARDED_TO_HEADER = 'x-kstreams-forwarded-to';
/** Header of every answer: the instance that read its stores (`applicationServer`, or `local`). */
export const SERVED_BY_HEADER = 'x-kstreams-served-by';

/** What another instance answered. */
export interface ForwardedAnswer {
  readonly status: number;
  readonly body: string;
  readonly servedBy: string;
}

/** `host:port`, IPv6 hosts in brackets. */
export function hostText(host: HostInfo): string {
  return `${host.host.includes(':') && !host.host.startsWith('[') ? `[${host.host}]` : host.host}:${host.port}`;
}

/**
 * Sends the same GET to the instance at `host` (marked as forwarded, so it answers from its own
 * stores and never forwards again).
 *
 * @throws QueryHttpError 502 naming the host when it cannot be reached or times out.
 */
export async function forwardRequest(host: HostInfo, pathAndQuery: string, options: { from: string; timeoutMs: number }): Promise<ForwardedAnswer> {
  const target = `http://${hostText(host)}${pathAndQuery}`;
  let response: Response;
  try {
    response = await fetch(target, { headers: { [FORWARDED_FROM_HEADER]: options.from }, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (cause) {
    throw new QueryHttpError(502, `The instance at ${hostText(host)} that holds this data did not answer ${pathAndQuery} (${cause instanceof Error ? cause.message : String(cause)}). Check that its query server listens where its applicationServer points; retry after a rebalance.`, { retriable: true, cause });
  }
  return { status: response.status, body: await response.text(), servedBy: response.headers.get(SERVED_BY_HEADER) ?? hostText(host) };
}
