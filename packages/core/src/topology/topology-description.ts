import { groupNodes } from './subtopology-grouping.js';
import type { BuilderNode, TopologyBuilder } from './topology-builder.js';
import { toMermaid } from './topology-mermaid.js';

/** One node as `describe()` shows it; neighbours are sorted as Kafka Streams sorts them. */
export interface NodeDescription {
  readonly kind: 'source' | 'processor' | 'sink';
  readonly name: string;
  /** Source: its topics (or `[pattern]`). */
  readonly topics: readonly string[];
  readonly pattern: RegExp | undefined;
  /** Processor: the stores it uses. */
  readonly stores: readonly string[];
  /** Sink: its fixed topic, or `undefined` when a function picks the topic. */
  readonly topic: string | undefined;
  /** Sink: the name of the topic-choosing function, when there is one. */
  readonly topicExtractorName: string | undefined;
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

/** A sub-topology (or a global store's source and processor) as `describe()` shows it. */
export interface SubtopologyDescription {
  readonly id: number;
  /** True for the source and processor feeding a global store: they never become tasks. */
  readonly global: boolean;
  readonly nodes: readonly NodeDescription[];
}

/**
 * What `Topology.describe()` returns: the sub-topologies and global stores, printed by
 * `toString()` in Kafka Streams' `TopologyDescription` format, or as a Mermaid flowchart by
 * `toMermaid()`.
 *
 * @example
 * console.log(topology.describe().toString());
 * // Topologies:
 * //    Sub-topology: 0
 * //     Source: source (topics: [input])
 * //       --> upper
 * //     ...
 */
export class TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];

  constructor(subtopologies: readonly SubtopologyDescription[]) {
    this.subtopologies = subtopologies;
  }

  /** Describes the builder's current state (works before `build()`, on unfinished topologies too). */
  static of(builder: TopologyBuilder): TopologyDescription {
    const sizes = subtreeSizes(builder.nodes);
    const compare = (left: string, right: string): number =>
      (sizes.get(right) ?? 0) - (sizes.get(left) ?? 0) || (left < right ? -1 : left > right ? 1 : 0);
    const groups = groupNodes(builder.nodes, builder.stores).map((group) => ({
      id: group.id,
      global: group.global,
      nodes: [...group.nodes]
        .sort(compare)
        .map((name) => describeNode(builder.nodes.get(name) as BuilderNode, compare)),
    }));
    return new TopologyDescription(groups);
  }

  /** Kafka Streams' text form. */
  toString(): string {
    let text = 'Topologies:\n ';
    for (const subtopology of this.subtopologies) {
      text += '  ';
      text += subtopology.global
        ? `Sub-topology: ${subtopology.id} for global store (will not generate tasks)\n`
        : `Sub-topology: ${subtopology.id}\n`;
      for (const node of subtopology.nodes) text += `    ${nodeToString(node)}\n`;
      if (!subtopology.global) text += '\n';
    }
    return text;
  }

  /** A Mermaid flowchart: a subgraph per sub-topology, topics and stores as their own shapes. */
  toMermaid(): string {
    return toMermaid(this);
  }
}

function describeNode(node: BuilderNode, compare: (left: string, right: string) => number): NodeDescription {
  const sink = node.kind === 'sink';
  return {
    kind: node.kind,
    name: node.name,
    topics: node.kind === 'source' ? node.topics : [],
    pattern: node.kind === 'source' ? node.pattern : undefined,
    stores: node.kind === 'processor' ? node.stores : [],
    topic: sink && typeof node.topic === 'string' ? node.topic : undefined,
    topicExtractorName: sink && typeof node.topic === 'function' ? node.topic.name || 'anonymous' : undefined,
    successors: sink ? [] : [...node.children].sort(compare),
    predecessors: node.kind === 'source' ? [] : [...node.parents].sort(compare),
  };
}

function nodeToString(node: NodeDescription): string {
  const successors = `\n      --> ${names(node.successors)}`;
  const predecessors = `\n      <-- ${names(node.predecessors)}`;
  switch (node.kind) {
    case 'source': {
      // As Java's Source.toString(): a topic set prints as `[a, b]`, a pattern as its bare text.
      const topics = node.pattern === undefined ? `[${node.topics.join(', ')}]` : node.pattern.source;
      return `Source: ${node.name} (topics: ${topics})${successors}`;
    }
    case 'processor':
      return `Processor: ${node.name} (stores: [${node.stores.join(', ')}])${successors}${predecessors}`;
    case 'sink': {
      // As Java's Sink.toString(): `topic: <name>`, or `extractor class: <extractor>` for a TopicNameExtractor.
      const target = node.topic === undefined ? `extractor class: ${node.topicExtractorName}` : `topic: ${node.topic}`;
      return `Sink: ${node.name} (${target})${predecessors}`;
    }
  }
}

function names(list: readonly string[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}

/** Kafka Streams orders nodes by the size of the sub-graph below them (itself included). */
function subtreeSizes(nodes: ReadonlyMap<string, BuilderNode>): Map<string, number> {
  const sizes = new Map<string, number>();
  // Children are always added after their parents, so walking backwards sees children first.
  for (const node of [...nodes.values()].reverse()) {
    const children = node.kind === 'sink' ? [] : node.children;
    sizes.set(node.name, 1 + children.reduce((sum, child) => sum + (sizes.get(child) ?? 0), 0));
  }
  return sizes;
}
