import type { Logger, Serializer } from '@kstreams/core';
import type { KafkaStreams } from '@kstreams/runtime';

/** How the server reads one store. */
export interface QueryServerStore<K, V> {
  /** `keyValue` (plain or timestamped), `window` or `session`. */
  readonly type: 'keyValue' | 'window' | 'session';
  /** The store's key serializer: finds a key's partition, so its owner (`queryMetadataForKey`). */
  readonly keySerde: Serializer<K>;
  /** Turns the key text of a URL into a key. Default: the text itself (string keys). */
  readonly parseKey?: (text: string) => K;
  /** Turns a value into JSON-ready data. Default: the value (bigints as numbers, or strings beyond 2^53). */
  readonly valueToJson?: (value: V) => unknown;
  /** Turns a key into JSON-ready data for range, all and window answers. Default: the key. */
  readonly keyToJson?: (key: K) => unknown;
}

/** The part of {@link KafkaStreams} the server uses. */
export type QueryableStreams = Pick<KafkaStreams, 'store' | 'queryMetadataForKey' | 'allMetadata' | 'allMetadataForStore'> & {
  readonly config: { readonly applicationServer: string | undefined };
};

/** Options of `startQueryServer`. */
export interface QueryServerOptions {
  /** Default `127.0.0.1`: only this machine can reach it unless you say otherwise. */
  readonly host?: string;
  /**
   * Default 0 (a free port). With several instances, listen where `applicationServer` points:
   * other instances forward requests to that address.
   */
  readonly port?: number;
  /** The stores served, by name. Others answer 404. */
  // biome-ignore lint/suspicious/noExplicitAny: each store has its own key and value types.
  readonly stores: Readonly<Record<string, QueryServerStore<any, any>>>;
  /** Entries a range or `all` answer holds at most when `limit` is not given (default 1,000). */
  readonly defaultLimit?: number;
  /** How long a forwarded request may take (default 10 s). */
  readonly forwardTimeoutMs?: number;
  /** Where failures of forwarded requests are logged (default: none). */
  readonly logger?: Logger;
}
