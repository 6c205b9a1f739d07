export type {
  NodeModel,
  ProcessorNodeModel,
  SinkNodeModel,
  SourceNodeModel,
  StoreModel,
  SubtopologyModel,
  TopologyModel,
} from './topology-model.js';
export { Topology } from './topology.js';
export { matchesWhole } from './topology-builder.js';
export {
  TopologyDescription,
  type NodeDescription,
  type SubtopologyDescription,
} from './topology-description.js';
export { validateCopartitioning } from './validate-copartitioning.js';
export type {
  GlobalStoreOptions,
  SinkOptions,
  SourceDeserializers,
  SourceOptions,
  SourceSubscription,
} from './topology-options.js';
export type { AnyNodes, NodeTypes, WithNode } from './topology-types.js';
