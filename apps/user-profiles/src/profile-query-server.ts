import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidStateStoreError, QueryableStoreTypes, Serdes, isUnavailable, type KafkaStreams } from 'kstreams';
import type { UserProfile } from './user-profile.js';
import { PROFILE_STORE } from './user-profiles-topology.js';

/** The HTTP query API of one app instance; see {@link startProfileQueryServer}. */
export interface ProfileQueryServer {
  /** `http://host:port`. */
  readonly url: string;
  /** `host:port`: the instance's `applicationServer`, so other instances can forward to it. */
  readonly applicationServer: string;
  /** Starts answering from `streams` (until then every query gets 503). */
  serve(streams: KafkaStreams): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Answer = { readonly status: number; readonly body: unknown };

/**
 * Serves the profile view over HTTP through interactive queries (loopback by default):
 * - `GET /profiles/<userId>`: 200 and the profile, 404 for an unknown user, 410 for a deleted
 *   one. The instance asks `queryMetadataForKey` which instance holds the user's partition and
 *   forwards the request there when it is another one (`applicationServer` of the group).
 * - `GET /profiles?limit=N`: up to N profiles held by this instance (default 20).
 * While the store cannot be read (rebalancing, restoring) it answers 503 with `Retry-After: 1`.
 */
export async function startProfileQueryServer(options: { host?: string; port?: number } = {}): Promise<ProfileQueryServer> {
  const host = options.host ?? '127.0.0.1';
  let streams: KafkaStreams | undefined;
  const server = createServer((request, response) => {
    answer(request, streams, applicationServer).then(
      (result) => reply(response, result),
      (error: unknown) => reply(response, { status: InvalidStateStoreError.isInstance(error) ? 503 : 500, body: { error: error instanceof Error ? error.message : String(error) } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const applicationServer = `${host}:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://${applicationServer}`, applicationServer, serve: (given) => void (streams = given), close, [Symbol.asyncDispose]: close };
}

function reply(response: ServerResponse, { status, body }: Answer): void {
  response.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '1' } : {}) });
  response.end(JSON.stringify(body));
}

async function answer(request: IncomingMessage, streams: KafkaStreams | undefined, self: string): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET') return { status: 405, body: { error: 'Only GET is served.' } };
  if (streams === undefined) return { status: 503, body: { error: 'The app is starting.' } };
  const profiles = () => streams.store({ storeName: PROFILE_STORE, type: QueryableStoreTypes.keyValueStore<string, UserProfile>() });
  if (url.pathname === '/profiles') {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const found: UserProfile[] = [];
    using all = profiles().all();
    for (const { value } of all) {
      if (found.length >= limit) break;
      if (!value.deleted) found.push(value);
    }
    return { status: 200, body: found };
  }
  const match = /^\/profiles\/([^/]+)$/.exec(url.pathname);
  if (match === null) return { status: 404, body: { error: `No route for ${url.pathname}: use /profiles/<userId> or /profiles?limit=N.` } };
  const userId = decodeURIComponent(match[1] as string);
  const owner = streams.queryMetadataForKey(PROFILE_STORE, userId, Serdes.string()).activeHost;
  const ownerAddress = `${owner.host}:${owner.port}`;
  if (!isUnavailable(owner) && ownerAddress !== self) {
    const forwarded = await fetch(`http://${ownerAddress}${url.pathname}`);
    return { status: forwarded.status, body: await forwarded.json() };
  }
  const profile = profiles().get(userId);
  if (profile === undefined) return { status: 404, body: { error: `No profile for user "${userId}".` } };
  if (profile.deleted) return { status: 410, body: { error: `User "${userId}" was deleted.`, version: profile.version } };
  return { status: 200, body: profile };
}
