import type { TopologyDescription } from './topology-description.js';

/**
 * Renders a topology description as a Mermaid flowchart: one subgraph per sub-topology (and per
 * global store), processors as boxes, topics as parallelograms outside the subgraphs, state
 * stores as cylinders linked to their processors by dotted lines.
 */
export function toMermaid(description: TopologyDescription): string {
  const ids = new IdAllocator();
  const lines = ['flowchart LR'];
  const edges: string[] = [];
  for (const subtopology of description.subtopologies) {
    const title = subtopology.global
      ? `Sub-topology: ${subtopology.id} (global store)`
      : `Sub-topology: ${subtopology.id}`;
    lines.push(`  subgraph subtopology_${subtopology.id} ["${escapeLabel(title)}"]`);
    for (const node of subtopology.nodes) {
      const nodeId = ids.node(node.name);
      lines.push(`    ${nodeId}["${escapeLabel(node.name)}"]`);
      for (const store of node.stores) {
        const storeId = ids.store(store);
        if (storeId.created) lines.push(`    ${storeId.id}[("${escapeLabel(store)}")]`);
        edges.push(`  ${storeId.id} -.- ${nodeId}`);
      }
      for (const child of node.successors) edges.push(`  ${nodeId} --> ${ids.node(child)}`);
    }
    lines.push('  end');
    for (const node of subtopology.nodes) edges.push(...topicEdges(node, ids));
  }
  return [...lines, ...ids.topicLines(), ...edges].join('\n') + '\n';
}

function topicEdges(node: TopologyDescription['subtopologies'][number]['nodes'][number], ids: IdAllocator): string[] {
  const nodeId = ids.node(node.name);
  if (node.kind === 'source') {
    const topics = node.pattern === undefined ? node.topics : [`/${node.pattern.source}/`];
    return topics.map((topic) => `  ${ids.topic(topic)} --> ${nodeId}`);
  }
  if (node.kind === 'sink') {
    const topic = node.topic ?? `${node.topicExtractorName}()`;
    return [`  ${nodeId} --> ${ids.topic(topic)}`];
  }
  return [];
}

/** Short, always-valid Mermaid ids; names only ever appear inside quoted labels. */
class IdAllocator {
  readonly #nodes = new Map<string, string>();
  readonly #topics = new Map<string, string>();
  readonly #stores = new Map<string, string>();

  node(name: string): string {
    return allocate(this.#nodes, name, 'node').id;
  }

  topic(name: string): string {
    return allocate(this.#topics, name, 'topic').id;
  }

  store(name: string): { id: string; created: boolean } {
    return allocate(this.#stores, name, 'store');
  }

  topicLines(): string[] {
    return [...this.#topics].map(([name, id]) => `  ${id}[/"${escapeLabel(name)}"/]`);
  }
}

function allocate(ids: Map<string, string>, name: string, prefix: string): { id: string; created: boolean } {
  const existing = ids.get(name);
  if (existing !== undefined) return { id: existing, created: false };
  const id = `${prefix}${ids.size}`;
  ids.set(name, id);
  return { id, created: true };
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}
