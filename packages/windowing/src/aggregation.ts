import type { Serde, StoreBackend } from '@kstreams/core';

/** Creates the starting aggregate of a new window, session or key. */
export type Initializer<A> = () => A;
/** Adds one record's value to the aggregate. */
export type Aggregator<K, V, A> = (key: K, value: V, aggregate: A) => A;
/** Combines the aggregates of two sessions that a record bridges. */
export type Merger<K, A> = (key: K, left: A, right: A) => A;
/** Combines two values of the same type (`reduce`). */
export type Reducer<V> = (aggregate: V, value: V) => V;

/**
 * When windowed results are forwarded, as Kafka Streams' `EmitStrategy`:
 * - `on-window-update` (default): every update of a window, at once;
 * - `on-window-close`: one final result per window once stream time passes its end plus the
 *   grace period (the `suppress(untilWindowCloses)` use case). The windows themselves are the
 *   emit buffer (a changelogged store), and the last emitted close time is kept in a changelogged
 *   `<store>-emit-time` store, so a restored task neither repeats nor skips final results.
 */
export type EmitStrategy = 'on-window-update' | 'on-window-close';

/** What every aggregation store needs. */
export interface AggregationStoreOptions<K, A> {
  /** Name of the store holding the aggregates (also the changelog's name part). */
  readonly storeName: string;
  readonly backend: StoreBackend;
  readonly keySerde: Serde<K>;
  readonly aggregateSerde: Serde<A>;
  /** Changelog the stores (default true), as Kafka Streams does. */
  readonly logging?: boolean;
}

/** How to aggregate: an initializer and an aggregator (count and reduce are built on these). */
export interface AggregateFunctions<K, V, A> {
  readonly initializer: Initializer<A>;
  readonly aggregator: Aggregator<K, V, A>;
}

/**
 * The aggregate serde a count accepts: `Serdes.int64()` is typed `Serde<bigint | null>`, and a
 * count is never null, so both forms are taken.
 */
export type CountSerde = Serde<bigint> | Serde<bigint | null>;

/** Options of the `count` helpers: the aggregation's options with a {@link CountSerde}. */
export type CountOptions<O extends { readonly aggregateSerde: Serde<bigint> }> = Omit<O, 'aggregateSerde' | 'initializer' | 'aggregator' | 'merger'> & { readonly aggregateSerde: CountSerde };

/** `count()` as an aggregation: starts at 0n, adds one per record. */
export function countFunctions<K, V>(): AggregateFunctions<K, V, bigint> {
  return { initializer: () => 0n, aggregator: (_key, _value, count) => count + 1n };
}

/**
 * `reduce(reducer)` as an aggregation: the first value starts the aggregate (Kafka Streams
 * reduces with a `null` initial aggregate), later values are combined with `reducer`.
 */
export function reduceFunctions<K, V>(reducer: Reducer<V>): AggregateFunctions<K, V, V> {
  return { initializer: () => null as V, aggregator: (_key, value, aggregate) => (aggregate === null ? value : reducer(aggregate, value)) };
}
