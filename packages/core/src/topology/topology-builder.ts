import { TopologyError } from '../errors/streams-error.js';
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../processor/processor.js';
import type { TopicNameExtractor } from '../processor/sink-functions.js';
import type { StateStore, StoreBuilder } from '../state/state-store.js';
import type { NodeModel, ProcessorNodeModel, SinkNodeModel, SourceNodeModel } from './topology-model.js';
import { validateName, validateTopicName } from './topology-names.js';
import { pickDeserializer, pickSerializer, type SinkOptions, type SourceOptions } from './topology-options.js';

type Mutable<T> = { -readonly [Key in keyof T]: T[Key] extends readonly (infer Item)[] ? Item[] : T[Key] };

/** A node while the topology is being built: the model's fields, mutable, plus `global`. */
export type BuilderNode = (Mutable<SourceNodeModel> | Mutable<ProcessorNodeModel> | Mutable<SinkNodeModel>) & {
  global: boolean;
};

/** A store while the topology is being built. */
export interface BuilderStore {
  readonly name: string;
  readonly builder: StoreBuilder<StateStore>;
  readonly processors: string[];
  readonly global: boolean;
  readonly sourceTopic: string | undefined;
}

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown> | FixedKeyProcessorSupplier<unknown, unknown, unknown>;

/**
 * The untyped, mutable heart of `Topology`: records nodes and stores and rejects local wiring
 * mistakes at the call that makes them. `Topology` adds the types on top.
 */
export class TopologyBuilder {
  /** Nodes in the order they were added (parents always come before their children). */
  readonly nodes = new Map<string, BuilderNode>();
  readonly stores = new Map<string, BuilderStore>();
  readonly sourceNodeByTopic = new Map<string, string>();
  readonly sourceNodeByPattern = new Map<RegExp, string>();

  addSource(name: string, options: SourceOptions<unknown, unknown>, global = false): void {
    this.#checkNewNode(name);
    const hasTopics = 'topics' in options && options.topics !== undefined;
    const hasPattern = 'pattern' in options && options.pattern !== undefined;
    if (hasTopics === hasPattern) {
      throw new TopologyError(`Source "${name}" needs exactly one of "topics" (a string array) or "pattern" (a RegExp).`);
    }
    const topics = 'topics' in options ? [...options.topics] : [];
    const pattern = 'pattern' in options ? options.pattern : undefined;
    if (pattern === undefined) this.#checkTopics(name, topics);
    else this.#checkPattern(name, pattern);
    this.nodes.set(name, {
      kind: 'source',
      name,
      topics,
      pattern,
      keyDeserializer: pickDeserializer(name, 'key', options.keyDeserializer, options.keySerde),
      valueDeserializer: pickDeserializer(name, 'value', options.valueDeserializer, options.valueSerde),
      timestampExtractor: options.timestampExtractor,
      children: [],
      global,
    });
    for (const topic of topics) this.sourceNodeByTopic.set(topic, name);
    if (pattern !== undefined) this.sourceNodeByPattern.set(pattern, name);
  }

  addProcessor(name: string, supplier: AnySupplier, fixedKey: boolean, parents: readonly string[], global = false): void {
    this.#checkNewNode(name);
    if (typeof supplier !== 'function') {
      throw new TopologyError(`Processor "${name}" needs a supplier function that returns a new processor on every call.`);
    }
    checkSupplierReturnsNewInstances(name, supplier);
    this.#checkParents(name, parents, global);
    this.nodes.set(name, { kind: 'processor', name, supplier, fixedKey, parents: [...parents], children: [], stores: [], global });
    this.#linkToParents(name, parents);
  }

  addSink(
    name: string,
    topic: string | TopicNameExtractor<unknown, unknown>,
    options: SinkOptions<unknown, unknown>,
    parents: readonly string[],
  ): void {
    this.#checkNewNode(name);
    if (typeof topic !== 'function') validateTopicName(topic, name);
    this.#checkParents(name, parents);
    this.nodes.set(name, {
      kind: 'sink',
      name,
      topic,
      keySerializer: pickSerializer(name, 'key', options.keySerializer, options.keySerde),
      valueSerializer: pickSerializer(name, 'value', options.valueSerializer, options.valueSerde),
      partitioner: options.partitioner,
      parents: [...parents],
      global: false,
    });
    this.#linkToParents(name, parents);
  }

  addStateStore(builder: StoreBuilder<StateStore>, processorNames: readonly string[], sourceTopic?: string): void {
    validateName('store', builder.name);
    if (this.stores.has(builder.name)) {
      throw new TopologyError(`State store "${builder.name}" is already added: give each store its own name.`);
    }
    const global = sourceTopic !== undefined;
    this.stores.set(builder.name, { name: builder.name, builder, processors: [], global, sourceTopic });
    this.connectProcessorAndStateStores(processorNames, [builder.name], global);
  }

  connectProcessorAndStateStores(processorNames: readonly string[], storeNames: readonly string[], allowGlobal = false): void {
    for (const processorName of processorNames) {
      const processor = this.#processor(processorName, allowGlobal);
      for (const storeName of storeNames) {
        const store = this.stores.get(storeName);
        if (store === undefined) {
          throw new TopologyError(
            `Processor "${processorName}" is connected to unknown state store "${storeName}": add it first with addStateStore().`,
          );
        }
        if (store.global && !allowGlobal) {
          throw new TopologyError(
            `Global store "${storeName}" cannot be connected to processor "${processorName}": every processor can already read global stores.`,
          );
        }
        if (!processor.stores.includes(storeName)) processor.stores.push(storeName);
        if (!store.processors.includes(processorName)) store.processors.push(processorName);
      }
    }
  }

  #processor(name: string, allowGlobal: boolean): Mutable<ProcessorNodeModel> {
    const node = this.nodes.get(name);
    if (node === undefined) {
      throw new TopologyError(`Unknown processor "${name}": add the processor before connecting state stores to it.`);
    }
    if (node.kind !== 'processor') {
      throw new TopologyError(`Node "${name}" is a ${node.kind}, not a processor: only processors can use state stores.`);
    }
    if (node.global && !allowGlobal) {
      throw new TopologyError(`Processor "${name}" updates a global store: it cannot be connected to other state stores.`);
    }
    return node;
  }

  #checkNewNode(name: string): void {
    validateName('node', name);
    if (this.nodes.has(name)) {
      throw new TopologyError(`Node name "${name}" is already used by a ${this.nodes.get(name)?.kind}: choose another name.`);
    }
  }

  #checkParents(name: string, parents: readonly string[], global = false): void {
    if (parents.length === 0) {
      throw new TopologyError(`Node "${name}" has no parent: pass at least one parent node name.`);
    }
    for (const parentName of parents) {
      if (parentName === name) {
        throw new TopologyError(`Node "${name}" cannot be its own parent: that would make a cycle.`);
      }
      const parent = this.nodes.get(parentName);
      if (parent === undefined) {
        throw new TopologyError(`Node "${name}" has unknown parent "${parentName}": add "${parentName}" before its children.`);
      }
      if (parent.kind === 'sink') {
        throw new TopologyError(
          `Node "${name}" cannot have sink "${parentName}" as parent: sinks write to topics and have no children. Read the topic with a source instead.`,
        );
      }
      if (parent.global && !global) {
        throw new TopologyError(`Node "${name}" cannot have "${parentName}" as parent: it belongs to a global store.`);
      }
    }
    if (new Set(parents).size !== parents.length) {
      throw new TopologyError(`Node "${name}" lists the same parent twice: name each parent once.`);
    }
  }

  #linkToParents(name: string, parents: readonly string[]): void {
    for (const parentName of parents) {
      const parent = this.nodes.get(parentName);
      if (parent !== undefined && parent.kind !== 'sink') parent.children.push(name);
    }
  }

  #checkTopics(name: string, topics: readonly string[]): void {
    if (topics.length === 0) {
      throw new TopologyError(`Source "${name}" has an empty topic list: give at least one topic, or a pattern.`);
    }
    for (const topic of topics) {
      validateTopicName(topic, name);
      const owner = this.sourceNodeByTopic.get(topic) ?? this.#patternOwner(topic);
      if (owner !== undefined) {
        throw new TopologyError(
          `Topic "${topic}" is already read by source "${owner}": source "${name}" cannot subscribe to it too. Use one source and give it several children.`,
        );
      }
    }
    if (new Set(topics).size !== topics.length) {
      throw new TopologyError(`Source "${name}" lists a topic twice: name each topic once.`);
    }
  }

  #checkPattern(name: string, pattern: RegExp): void {
    if (!(pattern instanceof RegExp)) {
      throw new TopologyError(`Source "${name}" needs "topics" (a string array) or "pattern" (a RegExp).`);
    }
    for (const [other, owner] of this.sourceNodeByPattern) {
      if (other.source === pattern.source) {
        throw new TopologyError(`Pattern /${pattern.source}/ is already read by source "${owner}": source "${name}" cannot use it too.`);
      }
    }
    for (const [topic, owner] of this.sourceNodeByTopic) {
      if (matchesWhole(pattern, topic)) {
        throw new TopologyError(
          `Pattern /${pattern.source}/ of source "${name}" matches topic "${topic}", already read by source "${owner}": narrow the pattern.`,
        );
      }
    }
  }

  #patternOwner(topic: string): string | undefined {
    for (const [pattern, owner] of this.sourceNodeByPattern) if (matchesWhole(pattern, topic)) return owner;
    return undefined;
  }
}

/**
 * As Kafka Streams' `ApiUtils.checkSupplier`: a supplier that returns the same processor on two
 * calls would share one instance (and its state) between every task.
 */
function checkSupplierReturnsNewInstances(name: string, supplier: AnySupplier): void {
  const first: unknown = supplier();
  if (first !== undefined && first === supplier()) {
    throw new TopologyError(
      `Processor "${name}": its supplier returned the same processor instance on two calls, so every task would share it and mix their state. ` +
        'Return a new processor on every call, e.g. () => new MyProcessor().',
    );
  }
}

/** Whether the pattern matches the whole topic name, as Java's `Pattern.matcher(topic).matches()`. */
export function matchesWhole(pattern: RegExp, topic: string): boolean {
  const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  return whole.test(topic);
}

/** The model form of a builder node (drops the builder-only `global` flag). */
export function toNodeModel(node: BuilderNode): NodeModel {
  const { global: _global, ...model } = node;
  return model as NodeModel;
}
