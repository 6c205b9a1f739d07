/**
 * Type-level helpers of the typed `Topology` builder: the map from node name to the `[key, value]`
 * a node emits, and the checks that make `addProcessor` reject a processor whose input type does
 * not fit what its parents emit.
 */
import type { Record } from '../processor/record.js';
import type { FixedKeyProcessorContext, ProcessorContext } from '../processor/processor-context.js';

/** Node name to the `[key, value]` type the node emits. Sinks emit nothing and are not listed. */
export type NodeTypes = { readonly [nodeName: string]: readonly [unknown, unknown] };

/**
 * The node map of an untyped topology (names chosen at run time): any name, any record type.
 * `Topology.untyped()` uses it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the untyped path deliberately opts out of checks.
export type AnyNodes = { [nodeName: string]: [any, any] };

/** Whether the node map is the untyped one (a string index signature). */
export type IsUntyped<Nodes> = string extends keyof Nodes ? true : false;

/** `Name` itself when it is free, else a message type that makes the call fail to compile. */
export type NewNodeName<Name extends string, Taken extends string> = string extends Taken
  ? Name
  : Name extends Taken
    ? `Node name "${Name}" is already used: choose another name`
    : Name;

/** The node map with `Name` added (the untyped map stays as it is). */
export type WithNode<Nodes, Name extends string, Entry> = IsUntyped<Nodes> extends true
  ? Nodes
  : Nodes & { readonly [Key in Name]: Entry };

/** Names of nodes that emit records (sources and processors). */
export type EmittingNodeName<Nodes> = keyof Nodes & string;

/** The `[key, value]` a processor instance accepts (from `process` or `processBatch`). */
export type ProcessorInput<Instance> = Instance extends { process(record: Record<infer K, infer V>): unknown }
  ? [K, V]
  : Instance extends { processBatch(records: readonly Record<infer K, infer V>[]): unknown }
    ? [K, V]
    : [unknown, unknown];

/** The `[key, value]` a processor instance forwards; `[never, never]` when it has no `init`. */
export type ProcessorOutput<Instance> = 'init' extends keyof Instance
  ? Instance extends { init?(context: ProcessorContext<infer K, infer V>): unknown }
    ? [K, V]
    : [never, never]
  : [never, never];

/** The value type a fixed-key processor instance forwards (its key type never changes). */
export type FixedKeyProcessorOutputValue<Instance> = 'init' extends keyof Instance
  ? Instance extends { init?(context: FixedKeyProcessorContext<never, infer V>): unknown }
    ? V
    : never
  : never;

/** Instance type of a supplier function. */
export type Supplied<Supplier> = Supplier extends () => infer Instance ? Instance : never;

/**
 * The parent-names parameter list: at least one parent when every parent's output fits
 * `Input`, otherwise a one-element tuple whose message type makes the call fail to compile.
 * Several parents: the union of what they emit must fit.
 */
export type ParentNames<Nodes, Parent extends keyof Nodes, Input> = [Nodes[Parent]] extends [Input]
  ? [Parent, ...Parent[]]
  : [`Parent output type does not fit the input type of this node: check the processor's Record<K, V> against its parents`];
