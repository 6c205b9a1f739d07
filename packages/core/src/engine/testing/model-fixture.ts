/**
 * Test-only helpers: hand-built `TopologyModel`s, a string serde and a capturing collector, so
 * the engine's tests do not depend on the Topology builder.
 */
import { Headers } from '../../processor/headers.js';
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../../processor/processor.js';
import type { StreamPartitioner, TopicNameExtractor } from '../../processor/sink-functions.js';
import type { TimestampExtractor } from '../../processor/timestamp-extractor.js';
import type { Serde } from '../../serde/serde.js';
import type { StateStore, StoreBuilder } from '../../state/state-store.js';
import type { NodeModel, StoreModel, SubtopologyModel, TopologyModel } from '../../topology/topology-model.js';
import type { RawRecord } from '../deserialization-exception-handler.js';
import type { OutgoingRecord, RecordCollector } from '../record-collector.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const stringSerde: Serde<string | null> = {
  serialize: (_topic, data) => (data === null || data === undefined ? null : encoder.encode(data)),
  deserialize: (_topic, data) => (data === null ? null : decoder.decode(data)),
};

export interface FixtureSpec {
  sources: { name: string; topics: string[]; timestampExtractor?: TimestampExtractor; pattern?: RegExp }[];
  processors?: { name: string; supplier: ProcessorSupplier<any, any, any, any> | FixedKeyProcessorSupplier<any, any, any>; parents: string[]; stores?: string[] }[];
  sinks?: { name: string; topic: string | TopicNameExtractor<any, any>; parents: string[]; partitioner?: StreamPartitioner<any, any> }[];
  stores?: { builder: StoreBuilder<StateStore>; processors: string[] }[];
  /** Leave sources without deserializers (to test the defaults). */
  withoutSerdes?: boolean;
}

function components(nodes: Map<string, NodeModel>, parentsOf: Map<string, string[]>, order: string[]): string[][] {
  const root = new Map<string, string>(order.map((name) => [name, name]));
  const find = (name: string): string => {
    while (root.get(name) !== name) name = root.get(name) as string;
    return name;
  };
  for (const [name, parents] of parentsOf) for (const parent of parents) root.set(find(name), find(parent));
  const groups = new Map<string, string[]>();
  for (const name of order) {
    const key = find(name);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups.values()].filter((group) => nodes.get(group[0] as string)?.kind === 'source' || group.some((name) => nodes.get(name)?.kind === 'source'));
}

/** Builds a model; sub-topologies are the connected components, numbered by first source. */
export function buildModel(spec: FixtureSpec): TopologyModel {
  const nodes = new Map<string, NodeModel>();
  const parentsOf = new Map<string, string[]>();
  const childrenOf = (name: string): string[] =>
    [...parentsOf].filter(([, parents]) => parents.includes(name)).map(([child]) => child);
  for (const processor of spec.processors ?? []) parentsOf.set(processor.name, processor.parents);
  for (const sink of spec.sinks ?? []) parentsOf.set(sink.name, sink.parents);
  const serde = spec.withoutSerdes === true ? undefined : stringSerde;
  for (const source of spec.sources) {
    nodes.set(source.name, {
      kind: 'source', name: source.name, topics: source.topics, pattern: source.pattern,
      keyDeserializer: serde, valueDeserializer: serde, timestampExtractor: source.timestampExtractor, children: childrenOf(source.name),
    });
  }
  for (const processor of spec.processors ?? []) {
    const stores = (spec.stores ?? []).filter((store) => store.processors.includes(processor.name)).map((store) => store.builder.name);
    nodes.set(processor.name, {
      kind: 'processor', name: processor.name, supplier: processor.supplier, fixedKey: false,
      parents: processor.parents, children: childrenOf(processor.name), stores: [...(processor.stores ?? []), ...stores],
    });
  }
  for (const sink of spec.sinks ?? []) {
    nodes.set(sink.name, {
      kind: 'sink', name: sink.name, topic: sink.topic, keySerializer: serde, valueSerializer: serde,
      partitioner: sink.partitioner, parents: sink.parents,
    });
  }
  const groups = components(nodes, parentsOf, [...nodes.keys()]);
  const subtopologies: SubtopologyModel[] = groups.map((group, id) => ({
    id,
    nodes: group,
    sourceTopics: group.flatMap((name) => { const node = nodes.get(name); return node?.kind === 'source' ? node.topics : []; }),
    sourcePatterns: [],
    sinkTopics: group.flatMap((name) => { const node = nodes.get(name); return node?.kind === 'sink' && typeof node.topic === 'string' ? [node.topic] : []; }),
    stores: (spec.stores ?? []).filter((store) => store.processors.some((name) => group.includes(name))).map((store) => store.builder.name),
  }));
  const stores = new Map<string, StoreModel>();
  for (const store of spec.stores ?? []) {
    const subtopology = subtopologies.find((candidate) => store.processors.some((name) => candidate.nodes.includes(name)))?.id ?? 0;
    stores.set(store.builder.name, { name: store.builder.name, builder: store.builder, processors: store.processors, subtopology, global: false, sourceTopic: undefined });
  }
  const sourceNodeByTopic = new Map<string, string>();
  for (const source of spec.sources) for (const topic of source.topics) sourceNodeByTopic.set(topic, source.name);
  return { nodes, subtopologies, stores, sourceNodeByTopic };
}

/** A raw record with string key/value bytes. */
export function raw(topic: string, offset: number, key: string | null, value: string | null, timestamp: number, partition = 0): RawRecord {
  return {
    topic, partition, offset, timestamp, headers: new Headers(),
    key: key === null ? null : encoder.encode(key),
    value: value === null ? null : encoder.encode(value),
  };
}

/** A collector that keeps what it is sent, decoding strings for easy assertions. */
export class CapturingCollector implements RecordCollector {
  readonly sent: OutgoingRecord[] = [];
  flushes = 0;

  send(record: OutgoingRecord): void {
    this.sent.push(record);
  }

  flush(): void {
    this.flushes++;
  }

  /** `[topic, key, value, timestamp]` of every record sent. */
  decoded(): [string, string | null, string | null, number][] {
    return this.sent.map((record) => [
      record.topic,
      record.key === null ? null : decoder.decode(record.key),
      record.value === null ? null : decoder.decode(record.value),
      record.timestamp,
    ]);
  }
}
