import type { KeyValueIterator, ReadOnlyKeyValueStore, ReadOnlySessionStore, ReadOnlyWindowStore, Windowed } from '@kstreams/core';
import { QueryableStoreTypes } from '@kstreams/runtime';
import type { QueryableStreams, QueryServerStore } from './query-server-options.js';
import { QueryHttpError } from './query-request.js';

// biome-ignore lint/suspicious/noExplicitAny: the server handles stores of any key and value types.
type AnyStore = QueryServerStore<any, any>;

/** A range or `all` answer of one instance. */
export interface EntriesAnswer {
  readonly store: string;
  readonly entries: unknown[];
  /** True when `limit` cut the answer short. */
  readonly truncated: boolean;
}

const keyJson = (spec: AnyStore, key: unknown): unknown => (spec.keyToJson === undefined ? key : spec.keyToJson(key));
const valueJson = (spec: AnyStore, value: unknown): unknown => (spec.valueToJson === undefined ? value : spec.valueToJson(value));

function expectType(storeName: string, spec: AnyStore, wanted: AnyStore['type'], what: string): void {
  if (spec.type !== wanted) throw new QueryHttpError(400, `Store "${storeName}" is served as a ${spec.type} store; ${what} needs a ${wanted} store.`);
}

/** `GET /stores/<store>/keys/<key>` on this instance's stores: the value, or 404. */
export function readKey(streams: QueryableStreams, storeName: string, spec: AnyStore, key: unknown): unknown {
  if (spec.type === 'window' || spec.type === 'session') throw new QueryHttpError(400, `Store "${storeName}" is a ${spec.type} store: read a key's ${spec.type}s with /stores/${storeName}/${spec.type}s/<key>.`);
  const value = streams.store({ storeName, type: QueryableStoreTypes.keyValueStore<unknown, unknown>() }).get(key);
  if (value === undefined) throw new QueryHttpError(404, `Key ${JSON.stringify(keyJson(spec, key))} is not in store "${storeName}".`);
  return { store: storeName, key: keyJson(spec, key), value: valueJson(spec, value) };
}

/** `GET /stores/<store>/windows/<key>?from=&to=`: the key's windows starting in `[from, to]`, oldest first. */
export function readWindows(streams: QueryableStreams, storeName: string, spec: AnyStore, key: unknown, fromMs: number, toMs: number): unknown {
  expectType(storeName, spec, 'window', '/windows/<key>');
  const view: ReadOnlyWindowStore<unknown, unknown> = streams.store({ storeName, type: QueryableStoreTypes.windowStore<unknown, unknown>() });
  const windows = drain(view.fetch(key, fromMs, toMs), Number.MAX_SAFE_INTEGER, (entry) => ({ start: entry.key, value: valueJson(spec, entry.value) }));
  return { store: storeName, key: keyJson(spec, key), windows: windows.entries };
}

/** `GET /stores/<store>/sessions/<key>`: every session of the key. */
export function readSessions(streams: QueryableStreams, storeName: string, spec: AnyStore, key: unknown): unknown {
  expectType(storeName, spec, 'session', '/sessions/<key>');
  const view: ReadOnlySessionStore<unknown, unknown> = streams.store({ storeName, type: QueryableStoreTypes.sessionStore<unknown, unknown>() });
  const sessions = drain(view.fetch(key), Number.MAX_SAFE_INTEGER, (entry) => ({ start: entry.key.window.startMs, end: entry.key.window.endMs, value: valueJson(spec, entry.value) }));
  return { store: storeName, key: keyJson(spec, key), sessions: sessions.entries };
}

/** `GET /stores/<store>/range?from=&to=`: this instance's keys in `[from, to]` (either open). */
export function readRange(streams: QueryableStreams, storeName: string, spec: AnyStore, from: unknown, to: unknown, limit: number): EntriesAnswer {
  expectType(storeName, spec, 'keyValue', '/range');
  const view: ReadOnlyKeyValueStore<unknown, unknown> = streams.store({ storeName, type: QueryableStoreTypes.keyValueStore<unknown, unknown>() });
  return { store: storeName, ...drain(view.range(from, to), limit, (entry) => ({ key: keyJson(spec, entry.key), value: valueJson(spec, entry.value) })) };
}

/** `GET /stores/<store>/all`: this instance's entries (windows, sessions) of the store. */
export function readAll(streams: QueryableStreams, storeName: string, spec: AnyStore, limit: number): EntriesAnswer {
  if (spec.type === 'keyValue') {
    const view = streams.store({ storeName, type: QueryableStoreTypes.keyValueStore<unknown, unknown>() });
    return { store: storeName, ...drain(view.all(), limit, (entry) => ({ key: keyJson(spec, entry.key), value: valueJson(spec, entry.value) })) };
  }
  const windowed = (entry: { key: Windowed<unknown>; value: unknown }) => ({ key: keyJson(spec, entry.key.key), start: entry.key.window.startMs, end: entry.key.window.endMs, value: valueJson(spec, entry.value) });
  if (spec.type === 'window') return { store: storeName, ...drain(streams.store({ storeName, type: QueryableStoreTypes.windowStore<unknown, unknown>() }).all(), limit, windowed) };
  return { store: storeName, ...drain(streams.store({ storeName, type: QueryableStoreTypes.sessionStore<unknown, unknown>() }).fetch(undefined, undefined), limit, windowed) };
}

/** Up to `limit` entries of the iterator, mapped; always closes it. */
function drain<K, V>(iterator: KeyValueIterator<K, V>, limit: number, map: (entry: { key: K; value: V }) => unknown): { entries: unknown[]; truncated: boolean } {
  const entries: unknown[] = [];
  try {
    for (const entry of iterator) {
      if (entries.length === limit) return { entries, truncated: true };
      entries.push(map(entry));
    }
    return { entries, truncated: false };
  } finally {
    iterator.close();
  }
}
