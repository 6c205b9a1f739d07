import { TopologyError } from '../errors/streams-error.js';
import type { StreamPartitioner } from '../processor/sink-functions.js';
import type { TimestampExtractor } from '../processor/timestamp-extractor.js';
import { checkSerdeOption } from '../serde/check-serde.js';
import type { Deserializer, Serde, Serializer } from '../serde/serde.js';

/** Where a source reads from: a fixed list of topics, or every topic matching a pattern. */
export type SourceSubscription = { readonly topics: readonly string[] } | { readonly pattern: RegExp };

/**
 * Deserializers of a source. Give a deserializer or a serde per side (not both); a side left
 * out uses the application's default serde.
 */
export interface SourceDeserializers<K, V> {
  readonly keyDeserializer?: Deserializer<K>;
  readonly valueDeserializer?: Deserializer<V>;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  /** Overrides the application's default timestamp extractor for this source. */
  readonly timestampExtractor?: TimestampExtractor;
}

/** Options of `Topology.addSource`. */
export type SourceOptions<K, V> = SourceSubscription & SourceDeserializers<K, V>;

/** Options of `Topology.addSink`. Sides left out use the application's default serde. */
export interface SinkOptions<K, V> {
  readonly keySerializer?: Serializer<K>;
  readonly valueSerializer?: Serializer<V>;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  /** Chooses the partition per record; the default hashes the serialized key (murmur2). */
  readonly partitioner?: StreamPartitioner<K, V>;
}

/** Options of `Topology.addGlobalStore`: the topic feeding the store and how to read it. */
export type GlobalStoreOptions<K, V> = { readonly topic: string } & SourceDeserializers<K, V>;

/** Picks the deserializer of one side, refusing both a deserializer and a serde. */
export function pickDeserializer<T>(
  nodeName: string,
  side: 'key' | 'value',
  deserializer: Deserializer<T> | undefined,
  serde: Serde<T> | undefined,
): Deserializer<T> | undefined {
  if (deserializer !== undefined && serde !== undefined) {
    throw new TopologyError(
      `Source "${nodeName}" has both a ${side}Deserializer and a ${side}Serde: give only one of them.`,
    );
  }
  checkSerdeOption(`Source "${nodeName}"`, `${side}Deserializer`, deserializer, 'deserializer');
  checkSerdeOption(`Source "${nodeName}"`, `${side}Serde`, serde, 'serde');
  return deserializer ?? serde;
}

/** Picks the serializer of one side, refusing both a serializer and a serde. */
export function pickSerializer<T>(
  nodeName: string,
  side: 'key' | 'value',
  serializer: Serializer<T> | undefined,
  serde: Serde<T> | undefined,
): Serializer<T> | undefined {
  if (serializer !== undefined && serde !== undefined) {
    throw new TopologyError(
      `Sink "${nodeName}" has both a ${side}Serializer and a ${side}Serde: give only one of them.`,
    );
  }
  checkSerdeOption(`Sink "${nodeName}"`, `${side}Serializer`, serializer, 'serializer');
  checkSerdeOption(`Sink "${nodeName}"`, `${side}Serde`, serde, 'serde');
  return serializer ?? serde;
}
