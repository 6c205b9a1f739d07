/**
 * kstreams/assignor: the sticky, lag-aware task assignor and its subscription/assignment wire format.
 * Re-exports every named export of `@kstreams/assignor` (a subpath, so its names never clash with the root's).
 */
export * from '@kstreams/assignor';
