/**
 * @kstreams/windowing: windows, windowed/session/sliding and key-value aggregations, joins and a
 * thin typed fluent layer, as processors that wire their own stores into an ordinary Topology.
 */
export { countFunctions, reduceFunctions, type AggregateFunctions, type CountOptions, type CountSerde, type AggregationStoreOptions, type Aggregator, type EmitStrategy, type Initializer, type Merger, type Reducer } from './aggregation.js';
export { aggregate, count, reduce, type KeyValueAggregateOptions } from './key-value-aggregate.js';
export { sessionAggregate, sessionCount, type SessionAggregateOptions } from './session-window-aggregate.js';
export { slidingAggregate, slidingCount, type SlidingAggregateOptions } from './sliding-window-aggregate.js';
export { windowedAggregate, windowedCount, windowedReduce, type TimeWindowAggregateOptions } from './time-window-aggregate.js';
export { addWiredProcessor, type WiredProcessor } from './wired-processor.js';
export { sessionWindowedSerde, timeWindowedSerde } from './windowed-serdes.js';
export { JoinWindows, SessionWindows, SlidingWindows, TimeWindows } from './windows.js';
export { globalTableJoin, type GlobalTableJoinOptions } from './joins/global-table-join.js';
export { addStreamStreamJoin, joinStoreNames, type StreamStreamJoinOptions } from './joins/stream-stream-join.js';
export { streamTableJoin, tableLookup, type StreamTableJoinOptions, type TableKind, type ValueJoiner } from './joins/stream-table-join.js';
export { tableSource, type Change, type TableSourceOptions } from './joins/table-source.js';
export { addTableTableJoin, passThrough, type TableTableJoinOptions } from './joins/table-table-join.js';
export { KGroupedStream, SessionWindowedKStream, WindowedKStream, type Materialized, type WindowedMaterialized } from './fluent/kgrouped-stream.js';
export { KStream, type Produced, type StreamShape } from './fluent/kstream.js';
export { KTable, type TableShape } from './fluent/ktable.js';
export { StreamsBuilder, type Consumed, type GlobalKTable, type StreamsBuilderOptions } from './fluent/streams-builder.js';
