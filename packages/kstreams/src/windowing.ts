/**
 * kstreams/windowing: windows, windowed and session aggregations, joins and the StreamsBuilder fluent layer.
 * Re-exports every named export of `@kstreams/windowing` (a subpath, so its names never clash with the root's).
 */
export * from '@kstreams/windowing';
