/**
 * kstreams/query-server: the HTTP JSON server for interactive queries, forwarding keys to the instance that holds them.
 * Re-exports every named export of `@kstreams/query-server` (a subpath, so its names never clash with the root's).
 */
export * from '@kstreams/query-server';
