import { TopologyError } from '../errors/streams-error.js';
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../processor/processor.js';
import type { NodeModel, SourceNodeModel, SubtopologyModel, TopologyModel } from '../topology/topology-model.js';
import type { GraphNode } from './graph-node.js';
import type { NodeHost } from './node-host.js';
import { ProcessorNode } from './processor-node.js';
import type { NodeInterceptor, ProcessorWrapper, WrappedNode } from './processor-wrapper.js';
import { SinkNode } from './sink-node.js';
import { WrappedGraphNode } from './wrapped-graph-node.js';

/** The running node instances of one task, built from one sub-topology. */
export interface TaskGraph {
  /** Every node, in the sub-topology's topological order (sources first). */
  readonly nodes: readonly GraphNode[];
  /** Source nodes and their models, by name. */
  readonly sources: ReadonlyMap<string, { node: GraphNode; model: SourceNodeModel }>;
  /** Batch processor nodes in topological order (flushed in that order). */
  readonly batchNodes: readonly ProcessorNode[];
  /** The interceptors a {@link ProcessorWrapper} put around nodes, by node name. */
  readonly interceptors: ReadonlyMap<string, NodeInterceptor>;
}

function nodeModel(model: TopologyModel, name: string): NodeModel {
  const node = model.nodes.get(name);
  if (node === undefined) throw new TopologyError(`The topology lists node "${name}" in a sub-topology but does not define it. Rebuild it with Topology.build().`);
  return node;
}

function childrenOf(node: NodeModel): readonly string[] {
  return node.kind === 'sink' ? [] : node.children;
}

/** Instantiates the nodes of `subtopology` (fresh processors from each supplier) and wires them. */
export function buildTaskGraph(model: TopologyModel, subtopology: SubtopologyModel, host: NodeHost, wrapper?: ProcessorWrapper): TaskGraph {
  const byName = new Map<string, GraphNode>();
  const interceptors = new Map<string, NodeInterceptor>();
  const sources = new Map<string, { node: GraphNode; model: SourceNodeModel }>();
  const batchNodes: ProcessorNode[] = [];
  for (const name of subtopology.nodes) {
    const node = nodeModel(model, name);
    if (node.kind === 'source') {
      const instance = new ProcessorNode({ name, host });
      sources.set(name, { node: instance, model: node });
      byName.set(name, instance);
    } else if (node.kind === 'processor') {
      const supplier = node.supplier as ProcessorSupplier<unknown, unknown, unknown, unknown> | FixedKeyProcessorSupplier<unknown, unknown, unknown>;
      const instance = new ProcessorNode({ name, host, processor: supplier(), storeNames: node.stores });
      if (instance.isBatchProcessor) batchNodes.push(instance);
      byName.set(name, instance);
    } else {
      byName.set(name, new SinkNode(node, host));
    }
    if (wrapper !== undefined) wrapNode(name, byName, interceptors, wrapper.wrapNode(describeNode(node, host)));
  }
  for (const name of subtopology.nodes) {
    const instance = unwrapped(byName.get(name));
    if (!(instance instanceof ProcessorNode)) continue;
    const children = childrenOf(nodeModel(model, name)).map((child) => {
      const childNode = byName.get(child);
      if (childNode === undefined) throw new TopologyError(`Node "${name}" has child "${child}" outside its sub-topology ${subtopology.id}. Rebuild the topology with Topology.build().`);
      return childNode;
    });
    instance.context.setChildren(children);
  }
  // Records enter a source through its wrapper, like any other node.
  for (const [name, source] of sources) sources.set(name, { node: byName.get(name) as GraphNode, model: source.model });
  return { nodes: subtopology.nodes.map((name) => byName.get(name) as GraphNode), sources, batchNodes, interceptors };
}

/** What a wrapper is told about a node. */
function describeNode(node: NodeModel, host: NodeHost): WrappedNode {
  return {
    nodeName: node.name,
    kind: node.kind,
    taskId: host.taskIdText,
    applicationId: host.applicationId,
    storeNames: node.kind === 'processor' ? node.stores : [],
    systemTimeMs: () => host.systemTimeMs(),
    recordMetadata: () => host.recordMetadata(),
  };
}

/** Puts the interceptor's `process` around the node, so that its parents forward through it. */
function wrapNode(name: string, byName: Map<string, GraphNode>, interceptors: Map<string, NodeInterceptor>, interceptor: NodeInterceptor | undefined): void {
  if (interceptor === undefined) return;
  interceptors.set(name, interceptor);
  const inner = byName.get(name) as GraphNode;
  if (interceptor.process !== undefined) byName.set(name, new WrappedGraphNode(inner, interceptor.process));
}

function unwrapped(node: GraphNode | undefined): GraphNode | undefined {
  return node instanceof WrappedGraphNode ? node.inner : node;
}
