import type { Serde, Windowed } from '@kstreams/core';
import type { AggregateFunctions, EmitStrategy, Merger, Reducer } from '../aggregation.js';
import { aggregate, count, reduce } from '../key-value-aggregate.js';
import { sessionAggregate } from '../session-window-aggregate.js';
import { slidingAggregate } from '../sliding-window-aggregate.js';
import { windowedAggregate } from '../time-window-aggregate.js';
import type { WiredProcessor } from '../wired-processor.js';
import { type SessionWindows, type SlidingWindows, TimeWindows } from '../windows.js';
import type { KStream } from './kstream.js';
import { KTable } from './ktable.js';

/** Where an aggregation keeps its results. */
export interface Materialized<A> {
  readonly storeName: string;
  readonly aggregateSerde: Serde<A>;
}

/** A stream grouped by key (Kafka Streams' `KGroupedStream`): aggregations per key, or per window with `windowedBy`. */
export class KGroupedStream<K, V> {
  constructor(
    readonly stream: KStream<K, V>,
    readonly keySerde: Serde<K>,
  ) {}

  count(materialized: Materialized<bigint> | { readonly storeName: string; readonly aggregateSerde: Serde<bigint | null> }): KTable<K, bigint> {
    return this.#table('KSTREAM-AGGREGATE-', count({ ...this.#store(materialized as Materialized<bigint>) }) as never, materialized as Materialized<bigint>);
  }

  reduce(reducer: Reducer<V>, materialized: Materialized<V>): KTable<K, V> {
    return this.#table('KSTREAM-REDUCE-', reduce({ ...this.#store(materialized), reducer }) as never, materialized);
  }

  aggregate<A>(functions: AggregateFunctions<K, V, A>, materialized: Materialized<A>): KTable<K, A> {
    return this.#table('KSTREAM-AGGREGATE-', aggregate({ ...this.#store(materialized), ...functions }) as never, materialized);
  }

  /** Aggregations per time, sliding or session window. */
  windowedBy(windows: TimeWindows | SlidingWindows): WindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): WindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    return windows.kind === 'session' ? new SessionWindowedKStream(this, windows) : new WindowedKStream(this, windows);
  }

  #store<A>(materialized: Materialized<A>) {
    return { storeName: materialized.storeName, backend: this.stream.builder.backend, keySerde: this.keySerde, aggregateSerde: materialized.aggregateSerde };
  }

  #table<KOut, A>(prefix: string, wired: WiredProcessor<unknown, unknown, unknown, unknown>, materialized: Materialized<A>): KTable<KOut, A> {
    const name = this.stream.builder.nextName(prefix);
    this.stream.builder.addWired(name, wired, this.stream.nodeName);
    return new KTable<KOut, A>(this.stream.builder, name, { storeName: materialized.storeName, emitsChanges: false, keySerde: undefined, valueSerde: materialized.aggregateSerde });
  }

  /** @internal Adds a windowed aggregation node (used by the windowed streams). */
  addWindowed<A>(prefix: string, wired: WiredProcessor<unknown, unknown, unknown, unknown>, materialized: Materialized<A>): KTable<Windowed<K>, A> {
    return this.#table(prefix, wired, materialized);
  }
}

/** Options of windowed aggregations. */
export type WindowedMaterialized<A> = Materialized<A> & { readonly emitStrategy?: EmitStrategy };

const countFunctions = { initializer: () => 0n, aggregator: (_key: unknown, _value: unknown, total: bigint) => total + 1n };

/** A grouped stream with time or sliding windows (Kafka Streams' `TimeWindowedKStream`/`SlidingWindowedKStream`). */
export class WindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: TimeWindows | SlidingWindows,
  ) {}

  count(materialized: WindowedMaterialized<bigint> | (Omit<WindowedMaterialized<bigint>, 'aggregateSerde'> & { readonly aggregateSerde: Serde<bigint | null> })): KTable<Windowed<K>, bigint> {
    return this.aggregate(countFunctions as AggregateFunctions<K, V, bigint>, materialized as WindowedMaterialized<bigint>);
  }

  aggregate<A>(functions: AggregateFunctions<K, V, A>, materialized: WindowedMaterialized<A>): KTable<Windowed<K>, A> {
    const store = { storeName: materialized.storeName, backend: this.grouped.stream.builder.backend, keySerde: this.grouped.keySerde, aggregateSerde: materialized.aggregateSerde };
    const emit = materialized.emitStrategy === undefined ? {} : { emitStrategy: materialized.emitStrategy };
    const wired =
      this.windows instanceof TimeWindows
        ? windowedAggregate({ ...store, ...functions, windows: this.windows, ...emit })
        : slidingAggregate({ ...store, ...functions, windows: this.windows, ...emit });
    return this.grouped.addWindowed('KSTREAM-AGGREGATE-', wired as never, materialized);
  }
}

/** A grouped stream with session windows (Kafka Streams' `SessionWindowedKStream`). */
export class SessionWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: SessionWindows,
  ) {}

  count(materialized: WindowedMaterialized<bigint> | (Omit<WindowedMaterialized<bigint>, 'aggregateSerde'> & { readonly aggregateSerde: Serde<bigint | null> })): KTable<Windowed<K>, bigint | null> {
    return this.aggregate(countFunctions as AggregateFunctions<K, V, bigint>, (_key, left, right) => left + right, materialized as WindowedMaterialized<bigint>);
  }

  aggregate<A>(functions: AggregateFunctions<K, V, A>, merger: Merger<K, A>, materialized: WindowedMaterialized<A>): KTable<Windowed<K>, A | null> {
    const store = { storeName: materialized.storeName, backend: this.grouped.stream.builder.backend, keySerde: this.grouped.keySerde, aggregateSerde: materialized.aggregateSerde };
    const emit = materialized.emitStrategy === undefined ? {} : { emitStrategy: materialized.emitStrategy };
    return this.grouped.addWindowed('KSTREAM-AGGREGATE-', sessionAggregate({ ...store, ...functions, merger, windows: this.windows, ...emit }) as never, materialized) as KTable<Windowed<K>, A | null>;
  }
}
