export type {
  NodeModel,
  ProcessorNodeModel,
  SinkNodeModel,
  SourceNodeModel,
  StoreModel,
  SubtopologyModel,
  TopologyModel,
} from './topology-model.js';
