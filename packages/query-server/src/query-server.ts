import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamsError } from '@kstreams/core';
import { isUnavailable, type HostInfo } from '@kstreams/runtime';
import { answerStatus } from './error-status.js';
import { FORWARDED_FROM_HEADER, FORWARDED_TO_HEADER, SERVED_BY_HEADER, forwardRequest, hostText } from './forwarding.js';
import { toJson } from './json-value.js';
import { readAll, readKey, readRange, readSessions, readWindows, type EntriesAnswer } from './local-queries.js';
import type { QueryableStreams, QueryServerOptions, QueryServerStore } from './query-server-options.js';
import { QueryHttpError, parseQueryRequest, type QueryRequest } from './query-request.js';

/** A running query server. */
export interface QueryServer extends AsyncDisposable {
  readonly port: number;
  /** `http://<host>:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the server handles stores of any key and value types.
type AnyStore = QueryServerStore<any, any>;

interface Context {
  readonly streams: QueryableStreams;
  readonly options: QueryServerOptions;
  /** This instance's `applicationServer`; undefined for a lone instance (everything is local). */
  readonly self: string | undefined;
}

/**
 * Serves interactive queries of a KafkaStreams instance as JSON over HTTP (GET only):
 * `/stores/<store>/keys/<key>`, `/stores/<store>/windows/<key>?from=&to=`,
 * `/stores/<store>/sessions/<key>`, `/stores/<store>/range?from=&to=&limit=`,
 * `/stores/<store>/all?limit=` and `/metadata`. A key held by another instance (per
 * `queryMetadataForKey`) is fetched from that instance's query server (the answer carries
 * `x-kstreams-forwarded-to`); range and `all` gather every instance's part. While the store
 * cannot be read (rebalancing, restoring) the answer is 503 with the reason and `Retry-After`.
 *
 * @example
 * const server = await startQueryServer(streams, { port: 7070, stores: { counts: { type: 'keyValue', keySerde: Serdes.string() } } });
 */
export async function startQueryServer(streams: QueryableStreams, options: QueryServerOptions): Promise<QueryServer> {
  checkOptions(options);
  const context: Context = { streams, options, self: streams.config.applicationServer };
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => void handle(context, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> => closeServer(server);
  return { port, url: `http://${hostText({ host, port })}`, close, [Symbol.asyncDispose]: close };
}

function checkOptions(options: QueryServerOptions): void {
  const names = Object.keys(options.stores ?? {});
  if (names.length === 0) throw new StreamsError('startQueryServer: options.stores is empty; name at least one store to serve, e.g. { counts: { type: "keyValue", keySerde: Serdes.string() } }.');
  for (const name of names) {
    const spec = options.stores[name]!;
    if (!['keyValue', 'window', 'session'].includes(spec.type)) throw new StreamsError(`startQueryServer: store "${name}" has type ${JSON.stringify(spec.type)}; use "keyValue", "window" or "session".`);
    if (typeof spec.keySerde?.serialize !== 'function') throw new StreamsError(`startQueryServer: store "${name}" needs a keySerde (the store's key serde) to find which instance holds a key.`);
  }
}

async function handle(context: Context, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new QueryHttpError(405, 'Only GET and HEAD are served.');
    const url = new URL(request.url ?? '/', 'http://query-server');
    const parsed = parseQueryRequest(url, context.options.defaultLimit ?? 1_000);
    const forwarded = request.headers[FORWARDED_FROM_HEADER] !== undefined;
    if (parsed.kind === 'metadata') return reply(context, response, 200, context.streams.allMetadata());
    if (parsed.kind === 'range' || parsed.kind === 'all') return reply(context, response, 200, await gatherEntries(context, parsed, url, forwarded));
    await answerKey(context, parsed, `${url.pathname}${url.search}`, forwarded, response);
  } catch (error) {
    const { status, message, retriable } = answerStatus(error);
    if (status >= 500 && status !== 503) context.options.logger?.warn(`Query ${request.url ?? ''} failed.`, { error });
    reply(context, response, status, { error: message, retriable }, status === 503 ? { 'retry-after': '1' } : {});
  }
}

type KeyedRequest = Extract<QueryRequest, { kind: 'key' | 'window' | 'session' }>;

/** Reads the key here when this instance holds it, else relays the owner's answer. */
async function answerKey(context: Context, parsed: KeyedRequest, pathAndQuery: string, forwarded: boolean, response: ServerResponse): Promise<void> {
  const { streams } = context;
  const spec = storeSpec(context, parsed.store);
  const key = parseKey(spec, parsed.store, parsed.keyText);
  if (!forwarded && context.self !== undefined) {
    const owner = streams.queryMetadataForKey(parsed.store, key, spec.keySerde).activeHost;
    if (isUnavailable(owner)) throw new QueryHttpError(503, `No instance is known to hold key "${parsed.keyText}" of store "${parsed.store}" yet: the application is starting or rebalancing. Retry shortly.`, { retriable: true });
    if (!isSelf(context, owner)) {
      const answer = await forwardRequest(owner, pathAndQuery, { from: context.self, timeoutMs: context.options.forwardTimeoutMs ?? 10_000 });
      response.writeHead(answer.status, { 'content-type': 'application/json', [SERVED_BY_HEADER]: answer.servedBy, [FORWARDED_TO_HEADER]: hostText(owner) });
      response.end(answer.body);
      return;
    }
  }
  if (parsed.kind === 'key') return reply(context, response, 200, readKey(streams, parsed.store, spec, key));
  if (parsed.kind === 'window') return reply(context, response, 200, readWindows(streams, parsed.store, spec, key, parsed.fromMs, parsed.toMs));
  reply(context, response, 200, readSessions(streams, parsed.store, spec, key));
}

type EntriesRequest = Extract<QueryRequest, { kind: 'range' | 'all' }>;

/** This instance's entries, plus (unless asked for the local part only) every other holder's. */
async function gatherEntries(context: Context, parsed: EntriesRequest, url: URL, forwarded: boolean): Promise<EntriesAnswer & { hosts: string[] }> {
  const spec = storeSpec(context, parsed.store);
  const readLocal = (): EntriesAnswer => parsed.kind === 'all'
    ? readAll(context.streams, parsed.store, spec, parsed.limit)
    : readRange(context.streams, parsed.store, spec, optionalKey(spec, parsed.store, parsed.from), optionalKey(spec, parsed.store, parsed.to), parsed.limit);
  if (forwarded || parsed.local || context.self === undefined) return { ...readLocal(), hosts: [context.self ?? 'local'] };
  const holders = context.streams.allMetadataForStore(parsed.store).filter((metadata) => metadata.stateStoreNames.includes(parsed.store)).map((metadata) => metadata.hostInfo);
  if (holders.length === 0) throw new QueryHttpError(503, `No instance is known to hold store "${parsed.store}" yet: the application is starting or rebalancing. Retry shortly.`, { retriable: true });
  url.searchParams.set('scope', 'local');
  const parts = await Promise.all(holders.map((holder) => (isSelf(context, holder) ? readLocal() : remoteEntries(context, holder, `${url.pathname}${url.search}`))));
  const entries = parts.flatMap((part) => part.entries);
  return { store: parsed.store, entries: entries.slice(0, parsed.limit), truncated: entries.length > parsed.limit || parts.some((part) => part.truncated), hosts: holders.map(hostText) };
}

async function remoteEntries(context: Context, holder: HostInfo, pathAndQuery: string): Promise<EntriesAnswer> {
  const answer = await forwardRequest(holder, pathAndQuery, { from: context.self ?? 'local', timeoutMs: context.options.forwardTimeoutMs ?? 10_000 });
  const body = JSON.parse(answer.body) as EntriesAnswer & { error?: string; retriable?: boolean };
  if (answer.status !== 200) throw new QueryHttpError(answer.status, `The instance at ${hostText(holder)} answered ${answer.status}: ${body.error ?? answer.body}`, { retriable: body.retriable ?? false });
  return body;
}

function storeSpec(context: Context, storeName: string): AnyStore {
  const spec = context.options.stores[storeName];
  if (spec === undefined) throw new QueryHttpError(404, `Store "${storeName}" is not served here; served stores: ${Object.keys(context.options.stores).map((name) => `"${name}"`).join(', ')}.`);
  return spec;
}

function parseKey(spec: AnyStore, storeName: string, text: string): unknown {
  try {
    return spec.parseKey === undefined ? text : spec.parseKey(text);
  } catch (cause) {
    throw new QueryHttpError(400, `"${text}" is not a valid key of store "${storeName}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function optionalKey(spec: AnyStore, storeName: string, text: string | undefined): unknown {
  return text === undefined ? undefined : parseKey(spec, storeName, text);
}

function isSelf(context: Context, host: HostInfo): boolean {
  return context.self === `${host.host}:${host.port}`;
}

function reply(context: Context, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', [SERVED_BY_HEADER]: context.self ?? 'local', ...headers });
  response.end(toJson(body));
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
