import { Serdes, Stores, type KeyValueStore, type StateStore, type StateStoreContext, type WindowStore } from '@kstreams/core';
import { KEY_QUERY_METADATA_NOT_AVAILABLE, StateStoreMigratedError, UnknownStateStoreError, type HostInfo, type KeyQueryMetadata, type QueryableStoreKind, type StoreQueryParameters, type StreamsMetadata } from '@kstreams/runtime';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port.test-helper.js';
import type { QueryableStreams } from './query-server-options.js';
import { startQueryServer, type QueryServer } from './query-server.js';

const servers: QueryServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

function context(): StateStoreContext {
  return { applicationId: () => 'app', taskId: () => '0_0', appConfigs: () => ({}), stateDirectory: () => undefined, currentStreamTimeMs: () => 10_000, register: () => {}, changelogWriter: () => undefined, cacheBudget: () => undefined };
}

function opened<S extends StateStore>(store: S): S {
  void store.init(context());
  return store;
}

/** One fake instance: its own stores, and who holds which key (`owners`: key → port). */
class FakeInstance implements QueryableStreams {
  readonly config: { applicationServer: string | undefined };
  readonly counts = opened(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() }).withLoggingDisabled().build()) as KeyValueStore<string, bigint>;
  readonly clicks = opened(Stores.windowStoreBuilder({ name: 'clicks', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number(), windowSizeMs: 1_000, retentionMs: 60_000 }).withLoggingDisabled().build()) as WindowStore<string, number>;
  rebalancing = false;
  owners = new Map<string, number>();
  hosts: number[] = [];

  constructor(readonly port: number) {
    this.config = { applicationServer: `127.0.0.1:${port}` };
  }

  store<T>(parameters: StoreQueryParameters<T>): T {
    if (this.rebalancing) throw new StateStoreMigratedError(`State store "${parameters.storeName}" cannot be queried now: the instance is rebalancing. Retry.`);
    const found: [StateStore, QueryableStoreKind] | undefined = parameters.storeName === 'counts' ? [this.counts, 'keyValue'] : parameters.storeName === 'clicks' ? [this.clicks, 'window'] : undefined;
    if (found === undefined) throw new UnknownStateStoreError(parameters.storeName, ['clicks', 'counts']);
    return parameters.type.composite(parameters.storeName, () => [parameters.type.view(found[0], found[1])]);
  }

  queryMetadataForKey<K>(_storeName: string, key: K): KeyQueryMetadata {
    const port = this.owners.get(String(key));
    return port === undefined ? KEY_QUERY_METADATA_NOT_AVAILABLE : { activeHost: { host: '127.0.0.1', port }, standbyHosts: [], partition: 0 };
  }

  allMetadata(): StreamsMetadata[] {
    return this.hosts.map((port) => metadataOf({ host: '127.0.0.1', port }));
  }

  allMetadataForStore(): StreamsMetadata[] {
    return this.allMetadata();
  }
}

const metadataOf = (hostInfo: HostInfo): StreamsMetadata => ({ hostInfo, stateStoreNames: ['clicks', 'counts'], topicPartitions: [], standbyStateStoreNames: [], standbyTopicPartitions: [] });

async function twoInstances() {
  const [portA, portB] = [await freePort(), await freePort()];
  const a = new FakeInstance(portA);
  const b = new FakeInstance(portB);
  a.counts.put('apple', 3n);
  b.counts.put('banana', 5n);
  b.counts.put('cherry', 2n ** 60n);
  b.clicks.put('banana', 4, 1_000);
  b.clicks.put('banana', 6, 2_000);
  for (const instance of [a, b]) {
    instance.owners = new Map([['apple', portA], ['banana', portB], ['cherry', portB], ['missing', portB]]);
    instance.hosts = [portA, portB];
  }
  const stores = { counts: { type: 'keyValue', keySerde: Serdes.string() }, clicks: { type: 'window', keySerde: Serdes.string() } } as const;
  for (const instance of [a, b]) servers.push(await startQueryServer(instance, { port: instance.port, stores }));
  return { a, b, urlA: `http://127.0.0.1:${portA}`, portB };
}

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

describe('startQueryServer', () => {
  it('answers a key held here from the local store, bigints as JSON numbers', async () => {
    const { urlA } = await twoInstances();
    const answer = await get(`${urlA}/stores/counts/keys/apple`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ store: 'counts', key: 'apple', value: 3 });
    expect(answer.headers.get('x-kstreams-forwarded-to')).toBeNull();
  });

  it('forwards a key held by another instance and says so in a header', async () => {
    const { urlA, portB } = await twoInstances();
    const answer = await get(`${urlA}/stores/counts/keys/banana`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ store: 'counts', key: 'banana', value: 5 });
    expect(answer.headers.get('x-kstreams-forwarded-to')).toBe(`127.0.0.1:${portB}`);
    expect(answer.headers.get('x-kstreams-served-by')).toBe(`127.0.0.1:${portB}`);
    expect((await get(`${urlA}/stores/counts/keys/cherry`)).body['value']).toBe('1152921504606846976');
    const windows = await get(`${urlA}/stores/clicks/windows/banana?from=0&to=5000`);
    expect(windows.body).toEqual({ store: 'clicks', key: 'banana', windows: [{ start: 1_000, value: 4 }, { start: 2_000, value: 6 }] });
  });

  it('gathers range and all answers from every instance, up to the limit', async () => {
    const { urlA } = await twoInstances();
    const all = await get(`${urlA}/stores/counts/all`);
    expect(all.body['entries']).toEqual([{ key: 'apple', value: 3 }, { key: 'banana', value: 5 }, { key: 'cherry', value: '1152921504606846976' }]);
    expect(all.body['truncated']).toBe(false);
    expect(all.body['hosts']).toHaveLength(2);
    const range = await get(`${urlA}/stores/counts/range?from=b&to=c`);
    expect(range.body['entries']).toEqual([{ key: 'banana', value: 5 }]);
    const limited = await get(`${urlA}/stores/counts/all?limit=2`);
    expect(limited.body['entries']).toHaveLength(2);
    expect(limited.body['truncated']).toBe(true);
  });

  it('answers 404 for unknown keys, stores and paths, 400 for bad parameters, 405 for writes', async () => {
    const { urlA } = await twoInstances();
    const missing = await get(`${urlA}/stores/counts/keys/missing`);
    expect([missing.status, missing.body['error']]).toEqual([404, 'Key "missing" is not in store "counts".']);
    const unknownStore = await get(`${urlA}/stores/nope/keys/x`);
    expect([unknownStore.status, unknownStore.body['error']]).toEqual([404, 'Store "nope" is not served here; served stores: "counts", "clicks".']);
    expect((await get(`${urlA}/nothing`)).status).toBe(404);
    expect((await get(`${urlA}/stores/counts/all?limit=zero`)).body['error']).toMatch(/limit=zero is not valid/);
    expect((await fetch(`${urlA}/stores/counts/keys/apple`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 with the reason and Retry-After while the store cannot be read, and before hosts are known', async () => {
    const { a, urlA } = await twoInstances();
    a.rebalancing = true;
    const answer = await get(`${urlA}/stores/counts/keys/apple`);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body).toEqual({ error: 'State store "counts" cannot be queried now: the instance is rebalancing. Retry.', retriable: true });
    a.rebalancing = false;
    const unknownOwner = await get(`${urlA}/stores/counts/keys/nobody-knows`);
    expect(unknownOwner.status).toBe(503);
    expect(unknownOwner.body['error']).toMatch(/No instance is known to hold key "nobody-knows"/);
  });

  it('answers a forwarded request from its own stores, never forwarding again', async () => {
    const { urlA } = await twoInstances();
    const response = await fetch(`${urlA}/stores/counts/keys/banana`, { headers: { 'x-kstreams-forwarded-from': 'elsewhere:1' } });
    expect(response.status).toBe(404);
  });

  it('refuses options without stores or with a store type it does not know', async () => {
    const instance = new FakeInstance(0);
    await expect(startQueryServer(instance, { stores: {} })).rejects.toThrow(/options.stores is empty/);
    await expect(startQueryServer(instance, { stores: { counts: { type: 'table' as 'keyValue', keySerde: Serdes.string() } } })).rejects.toThrow(/store "counts" has type "table"/);
  });
});
