import { TopologyError } from '../errors/streams-error.js';
import { groupNodes, type NodeGroup } from './subtopology-grouping.js';
import { toNodeModel, type BuilderNode, type TopologyBuilder } from './topology-builder.js';
import type { NodeModel, StoreModel, SubtopologyModel, TopologyModel } from './topology-model.js';

/**
 * Validates what only the whole topology can tell (unconnected stores, cycles, an empty
 * topology) and freezes the builder's state into the `TopologyModel` the engine runs.
 */
export function buildTopologyModel(builder: TopologyBuilder): TopologyModel {
  validateWholeTopology(builder);
  const groups = groupNodes(builder.nodes, builder.stores);
  const subtopologyByNode = new Map<string, number>();
  for (const group of groups) for (const name of group.nodes) subtopologyByNode.set(name, group.id);

  const nodes = new Map<string, NodeModel>();
  for (const node of builder.nodes.values()) nodes.set(node.name, Object.freeze(toNodeModel(node)));

  const stores = new Map<string, StoreModel>();
  for (const store of builder.stores.values()) {
    const firstProcessor = store.processors[0] ?? '';
    stores.set(store.name, {
      name: store.name,
      builder: store.builder,
      processors: [...store.processors],
      subtopology: subtopologyByNode.get(firstProcessor) ?? -1,
      global: store.global,
      sourceTopic: store.sourceTopic,
    });
  }
  const subtopologies = groups.filter((group) => !group.global).map((group) => toSubtopology(group, builder));
  return { nodes, subtopologies, stores, sourceNodeByTopic: new Map(builder.sourceNodeByTopic) };
}

function toSubtopology(group: NodeGroup, builder: TopologyBuilder): SubtopologyModel {
  const members = group.nodes.map((name) => builder.nodes.get(name)).filter((node) => node !== undefined);
  const sources = members.filter((node) => node.kind === 'source');
  const others = members.filter((node) => node.kind !== 'source');
  const stores = new Set<string>();
  for (const node of others) if (node.kind === 'processor') for (const store of node.stores) stores.add(store);
  return {
    id: group.id,
    nodes: [...sources, ...others].map((node) => node.name),
    sourceTopics: sources.flatMap((node) => node.topics),
    sourcePatterns: sources.flatMap((node) => (node.pattern === undefined ? [] : [node.pattern])),
    sinkTopics: unique(others.flatMap((node) => (node.kind === 'sink' && typeof node.topic === 'string' ? [node.topic] : []))),
    stores: [...stores],
  };
}

function validateWholeTopology(builder: TopologyBuilder): void {
  if (builder.nodes.size === 0) {
    throw new TopologyError('The topology is empty: add at least one source with addSource() before build().');
  }
  for (const store of builder.stores.values()) {
    if (store.processors.length === 0) {
      throw new TopologyError(
        `State store "${store.name}" is not connected to any processor: pass processor names to addStateStore() or call connectProcessorAndStateStores().`,
      );
    }
  }
  checkAcyclic(builder.nodes);
}

/** Kahn's algorithm: every node must be reachable in an order where parents come first. */
function checkAcyclic(nodes: ReadonlyMap<string, BuilderNode>): void {
  const pendingParents = new Map<string, number>();
  for (const node of nodes.values()) pendingParents.set(node.name, node.kind === 'source' ? 0 : node.parents.length);
  const ready = [...pendingParents].filter(([, count]) => count === 0).map(([name]) => name);
  let visited = 0;
  for (let name = ready.pop(); name !== undefined; name = ready.pop()) {
    visited++;
    const node = nodes.get(name);
    const children = node === undefined || node.kind === 'sink' ? [] : node.children;
    for (const child of children) {
      const left = (pendingParents.get(child) ?? 0) - 1;
      pendingParents.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (visited !== nodes.size) {
    const stuck = [...pendingParents].filter(([, count]) => count > 0).map(([name]) => `"${name}"`);
    throw new TopologyError(`The topology has a cycle through ${stuck.join(', ')}: records must flow from sources to sinks without loops.`);
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
