import { TopologyError } from '../errors/streams-error.js';
import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../processor/processor.js';
import type { TopicNameExtractor } from '../processor/sink-functions.js';
import type { StateStore, StoreBuilder } from '../state/state-store.js';
import { buildTopologyModel } from './build-topology-model.js';
import { TopologyBuilder } from './topology-builder.js';
import { TopologyDescription } from './topology-description.js';
import type { TopologyModel } from './topology-model.js';
import type { GlobalStoreOptions, SinkOptions, SourceOptions } from './topology-options.js';
import type {
  AnyNodes,
  EmittingNodeName,
  FixedKeyProcessorOutputValue,
  NewNodeName,
  NodeTypes,
  ParentNames,
  ProcessorInput,
  ProcessorOutput,
  Supplied,
  WithNode,
} from './topology-types.js';

// biome-ignore lint/suspicious/noExplicitAny: suppliers of any record type; the checks happen on the inferred types.
type SomeProcessorSupplier = ProcessorSupplier<any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above, for fixed-key processors.
type SomeFixedKeyProcessorSupplier = FixedKeyProcessorSupplier<any, any, any>;
type UntypedSupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * A processing graph in Kafka Streams' Processor API: sources read topics, processors transform
 * records, sinks write topics, state stores hold state. Each `add*` call returns the topology
 * with its type extended: `Nodes` maps every source and processor name to the `[key, value]` it
 * emits, so `addProcessor` only accepts a processor whose input fits what its parents emit, and
 * a node name can be used only once. Wiring mistakes throw a `TopologyError` at the call (or at
 * `build()` when only the whole graph can tell). Use `Topology.untyped()` for graphs built from
 * run-time data.
 *
 * @example
 * const topology = new Topology()
 *   .addSource('lines', { topics: ['text'], valueSerde: Serdes.string() })
 *   .addProcessor('upper', () => new UpperCase(), 'lines')
 *   .addSink('out', 'text-upper', { valueSerde: Serdes.string() }, 'upper');
 * console.log(topology.describe().toString());
 */
export class Topology<Nodes extends NodeTypes = {}, Taken extends string = never, Stores extends string = never> {
  readonly #builder = new TopologyBuilder();

  /** A topology without compile-time wiring checks, for node names chosen at run time. */
  static untyped(): Topology<AnyNodes, string, string> {
    return new Topology<AnyNodes, string, string>();
  }

  /**
   * Adds a source reading `topics` (or every topic matching `pattern`). A side without a
   * deserializer or serde uses the application's default serde, whose type the compiler cannot
   * know: it is typed `any` (unchecked). Pass a serde to have it checked.
   */
  // biome-ignore lint/suspicious/noExplicitAny: default-serde sides are unchecked, see above.
  addSource<const Name extends string, K = any, V = any>(
    name: NewNodeName<Name, Taken>,
    options: SourceOptions<K, V>,
  ): Topology<WithNode<Nodes, Name, [K, V]>, Taken | Name, Stores> {
    this.#builder.addSource(name, options as SourceOptions<unknown, unknown>);
    return this as never;
  }

  /** Adds a processor fed by the given parents; `supplier` must return a new processor per call. */
  addProcessor<const Name extends string, Supplier extends SomeProcessorSupplier, Parent extends EmittingNodeName<Nodes>>(
    name: NewNodeName<Name, Taken>,
    supplier: Supplier,
    ...parents: ParentNames<Nodes, Parent, ProcessorInput<Supplied<Supplier>>>
  ): Topology<WithNode<Nodes, Name, ProcessorOutput<Supplied<Supplier>>>, Taken | Name, Stores> {
    this.#builder.addProcessor(name, supplier as UntypedSupplier, false, parents as string[]);
    return this as never;
  }

  /** Adds a processor that may change values but never keys. */
  addFixedKeyProcessor<const Name extends string, Supplier extends SomeFixedKeyProcessorSupplier, Parent extends EmittingNodeName<Nodes>>(
    name: NewNodeName<Name, Taken>,
    supplier: Supplier,
    ...parents: ParentNames<Nodes, Parent, ProcessorInput<Supplied<Supplier>>>
  ): Topology<WithNode<Nodes, Name, [Nodes[Parent][0], FixedKeyProcessorOutputValue<Supplied<Supplier>>]>, Taken | Name, Stores> {
    this.#builder.addProcessor(name, supplier as UntypedSupplier, true, parents as string[]);
    return this as never;
  }

  /** Adds a sink writing what its parents emit to `topic` (or the topic a function picks per record). */
  addSink<const Name extends string, Parent extends EmittingNodeName<Nodes>, K = unknown, V = unknown>(
    name: NewNodeName<Name, Taken>,
    topic: string | TopicNameExtractor<K, V>,
    options: SinkOptions<K, V>,
    ...parents: ParentNames<Nodes, Parent, [K, V]>
  ): Topology<Nodes, Taken | Name, Stores>;
  /** Adds a sink using the application's default serdes. */
  addSink<const Name extends string, Parent extends EmittingNodeName<Nodes>>(
    name: NewNodeName<Name, Taken>,
    topic: string | TopicNameExtractor<Nodes[Parent][0], Nodes[Parent][1]>,
    ...parents: [Parent, ...Parent[]]
  ): Topology<Nodes, Taken | Name, Stores>;
  addSink(
    name: string,
    topic: string | TopicNameExtractor<unknown, unknown>,
    optionsOrParent: SinkOptions<unknown, unknown> | string | undefined,
    ...parents: string[]
  ): unknown {
    if (typeof optionsOrParent === 'string') this.#builder.addSink(name, topic, {}, [optionsOrParent, ...parents]);
    else this.#builder.addSink(name, topic, optionsOrParent ?? {}, parents);
    return this;
  }

  /** Adds a state store, optionally connecting it to processors already added. */
  addStateStore<const StoreName extends string>(
    storeBuilder: StoreBuilder<StateStore> & { readonly name: StoreName },
    ...processorNames: EmittingNodeName<Nodes>[]
  ): Topology<Nodes, Taken, Stores | StoreName> {
    this.#builder.addStateStore(storeBuilder, processorNames);
    return this as never;
  }

  /** Lets a processor use stores added earlier (`context.getStateStore(name)`). */
  connectProcessorAndStateStores(processorName: EmittingNodeName<Nodes>, ...storeNames: [Stores, ...Stores[]]): this {
    this.#builder.connectProcessorAndStateStores([processorName], storeNames);
    return this;
  }

  /**
   * Adds a global store: a read-only copy of `options.topic` on every instance, kept current by
   * a source and a processor that only write this store. Every processor may read it. The
   * topic is the store's changelog, so the store must have logging disabled.
   */
  // biome-ignore lint/suspicious/noExplicitAny: default-serde sides are unchecked, as in addSource.
  addGlobalStore<const SourceName extends string, const ProcessorName extends string, Supplier extends SomeProcessorSupplier, K = any, V = any>(
    storeBuilder: StoreBuilder<StateStore>,
    sourceName: NewNodeName<SourceName, Taken>,
    options: GlobalStoreOptions<K, V>,
    processorName: NewNodeName<ProcessorName, Taken | SourceName>,
    supplier: [[K, V]] extends [ProcessorInput<Supplied<Supplier>>] ? Supplier : 'The processor input type does not fit the store topic key/value types',
  ): Topology<Nodes, Taken | SourceName | ProcessorName, Stores> {
    if (storeBuilder.loggingEnabled) {
      throw new TopologyError(
        `Global store "${storeBuilder.name}" has logging enabled: call withLoggingDisabled(), its topic "${options.topic}" already is its changelog.`,
      );
    }
    const { topic, ...sourceOptions } = options;
    this.#builder.addSource(sourceName, { topics: [topic], ...sourceOptions } as SourceOptions<unknown, unknown>, true);
    this.#builder.addProcessor(processorName, supplier as UntypedSupplier, false, [sourceName], true);
    this.#builder.addStateStore(storeBuilder, [processorName], topic);
    return this as never;
  }

  /** Validates the whole graph and returns the immutable model the task engine runs. */
  build(): TopologyModel {
    return buildTopologyModel(this.#builder);
  }

  /** The sub-topologies and global stores, printable as Kafka Streams text or as Mermaid. */
  describe(): TopologyDescription {
    return TopologyDescription.of(this.#builder);
  }
}
