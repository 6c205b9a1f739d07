/**
 * @kstreams/core: the Processor API, typed topologies, the task engine, state store
 * interfaces and layers, and serdes. No Kafka client dependency.
 */
export * from './errors/index.js';
export * from './processor/index.js';
export * from './serde/index.js';
export * from './state/index.js';
export * from './topology/index.js';
export * from './engine/index.js';
