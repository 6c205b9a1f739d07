/**
 * The validated, immutable form of a topology that `Topology.build()` returns and the task
 * engine runs. Internal: users build it with `Topology`, engines read it.
 */
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../processor/processor.js';
import type { StreamPartitioner, TopicNameExtractor } from '../processor/sink-functions.js';
import type { TimestampExtractor } from '../processor/timestamp-extractor.js';
import type { Deserializer, Serializer } from '../serde/serde.js';
import type { StateStore, StoreBuilder } from '../state/state-store.js';

export interface SourceNodeModel {
  readonly kind: 'source';
  readonly name: string;
  /** Fixed topics; empty when the source subscribes by pattern. */
  readonly topics: readonly string[];
  readonly pattern: RegExp | undefined;
  readonly keyDeserializer: Deserializer<unknown> | undefined;
  readonly valueDeserializer: Deserializer<unknown> | undefined;
  /** Falls back to the app's default extractor when undefined. */
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly children: readonly string[];
}

export interface ProcessorNodeModel {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown> | FixedKeyProcessorSupplier<unknown, unknown, unknown>;
  /** True when added with `addFixedKeyProcessor`. */
  readonly fixedKey: boolean;
  readonly parents: readonly string[];
  readonly children: readonly string[];
  /** Names of the state stores this processor may use. */
  readonly stores: readonly string[];
}

export interface SinkNodeModel {
  readonly kind: 'sink';
  readonly name: string;
  /** A fixed topic name, or a function choosing it per record. */
  readonly topic: string | TopicNameExtractor<unknown, unknown>;
  readonly keySerializer: Serializer<unknown> | undefined;
  readonly valueSerializer: Serializer<unknown> | undefined;
  readonly partitioner: StreamPartitioner<unknown, unknown> | undefined;
  readonly parents: readonly string[];
}

export type NodeModel = SourceNodeModel | ProcessorNodeModel | SinkNodeModel;

export interface StoreModel {
  readonly name: string;
  readonly builder: StoreBuilder<StateStore>;
  /** Processors connected to the store. */
  readonly processors: readonly string[];
  /**
   * The sub-topology owning the store. For a global store: the id its source and processor
   * took in Kafka Streams' numbering (no sub-topology with that id is in `subtopologies`).
   */
  readonly subtopology: number;
  /** Global (read-only, fed from a topic on every instance) stores. */
  readonly global: boolean;
  /** For global stores: the topic that feeds it. */
  readonly sourceTopic: string | undefined;
}

export interface SubtopologyModel {
  readonly id: number;
  /** Node names in topological order (sources first). */
  readonly nodes: readonly string[];
  readonly sourceTopics: readonly string[];
  /** Pattern sources, if any. */
  readonly sourcePatterns: readonly RegExp[];
  /** Fixed sink topics (dynamic sinks are not listed). */
  readonly sinkTopics: readonly string[];
  readonly stores: readonly string[];
}

export interface TopologyModel {
  /** Every node, in the order added; includes the source and processor feeding each global store. */
  readonly nodes: ReadonlyMap<string, NodeModel>;
  /** The sub-topologies that become tasks, by ascending id (global store groups are left out). */
  readonly subtopologies: readonly SubtopologyModel[];
  readonly stores: ReadonlyMap<string, StoreModel>;
  /**
   * Topic name to the source node reading it; includes global store topics. Subscribe a consumer
   * group to the sub-topologies' `sourceTopics`/`sourcePatterns`, not to these keys.
   */
  readonly sourceNodeByTopic: ReadonlyMap<string, string>;
}
