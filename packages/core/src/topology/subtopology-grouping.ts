import type { BuilderNode, BuilderStore } from './topology-builder.js';

/** The node groups of a topology, numbered; global store groups are flagged. */
export interface NodeGroup {
  readonly id: number;
  /** Node names in the order they were added (a topological order: parents come first). */
  readonly nodes: string[];
  readonly global: boolean;
}

/**
 * Splits the topology into its connected components: nodes linked by a parent edge or by a
 * shared state store belong together. Numbered as Kafka Streams does: walking the nodes in the
 * order they were added, each component takes the next id when its first node is met (so the
 * component of the first source added is 0). Global store components take ids in that sequence
 * too, like Java, but never become tasks.
 */
export function groupNodes(
  nodes: ReadonlyMap<string, BuilderNode>,
  stores: ReadonlyMap<string, BuilderStore>,
): NodeGroup[] {
  const roots = new UnionFind(nodes.keys());
  for (const node of nodes.values()) {
    if (node.kind !== 'source') for (const parent of node.parents) roots.union(node.name, parent);
  }
  for (const store of stores.values()) {
    const [first, ...others] = store.processors;
    if (first !== undefined) for (const other of others) roots.union(first, other);
  }
  const groupByRoot = new Map<string, NodeGroup>();
  const groups: NodeGroup[] = [];
  for (const node of nodes.values()) {
    const root = roots.find(node.name);
    let group = groupByRoot.get(root);
    if (group === undefined) {
      group = { id: groups.length, nodes: [], global: node.global };
      groupByRoot.set(root, group);
      groups.push(group);
    }
    group.nodes.push(node.name);
  }
  return groups;
}

/** Disjoint sets over names, with path halving. */
class UnionFind {
  readonly #parent = new Map<string, string>();

  constructor(names: Iterable<string>) {
    for (const name of names) this.#parent.set(name, name);
  }

  find(name: string): string {
    let current = name;
    for (;;) {
      const parent = this.#parent.get(current) ?? current;
      if (parent === current) return current;
      const grandparent = this.#parent.get(parent) ?? parent;
      this.#parent.set(current, grandparent);
      current = grandparent;
    }
  }

  union(left: string, right: string): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot !== rightRoot) this.#parent.set(rightRoot, leftRoot);
  }
}
