import { Topology, type NodeTypes, type Processor, type StateStore, type StoreBuilder, type WithNode } from '@kstreams/core';

/**
 * A processor together with the stores it needs: aggregations and joins build their own
 * window, session and key-value stores. `connectedStores` names stores added elsewhere that the
 * processor reads (e.g. the table of a stream-table join).
 */
export interface WiredProcessor<KIn, VIn, KOut, VOut> {
  readonly supplier: () => Processor<KIn, VIn, KOut, VOut>;
  readonly storeBuilders: readonly StoreBuilder<StateStore>[];
  readonly connectedStores?: readonly string[];
}

// biome-ignore lint/suspicious/noExplicitAny: wiring accepts any parent; processors check their input at run time.
type AnyTopology = Topology<any, any, any>;

/**
 * Adds `wired` as processor `name` under `parents`, adds its stores and connects the stores it
 * reads; returns the topology typed with the new node's output.
 *
 * @example
 * const topology = addWiredProcessor(base, 'count-per-minute', windowedCount({ ... }), 'clicks');
 */
export function addWiredProcessor<Nodes extends NodeTypes, Taken extends string, Stores extends string, const Name extends string, KOut, VOut>(
  topology: Topology<Nodes, Taken, Stores>,
  name: Name,
  // biome-ignore lint/suspicious/noExplicitAny: the input side is not checked against the parents here.
  wired: WiredProcessor<any, any, KOut, VOut>,
  ...parents: [keyof Nodes & string, ...(keyof Nodes & string)[]]
): Topology<WithNode<Nodes, Name, [KOut, VOut]>, Taken | Name, Stores> {
  const untyped = topology as unknown as AnyTopology;
  untyped.addProcessor(name, wired.supplier, ...(parents as [string, ...string[]]));
  for (const builder of wired.storeBuilders) untyped.addStateStore(builder, name);
  const connected = wired.connectedStores ?? [];
  if (connected.length > 0) untyped.connectProcessorAndStateStores(name, ...(connected as [string, ...string[]]));
  return topology as never;
}
