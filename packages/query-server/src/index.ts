/**
 * @kstreams/query-server: serves a KafkaStreams instance's interactive queries as JSON over HTTP
 * and forwards each key to the instance that holds it.
 */
export { startQueryServer, type QueryServer } from './query-server.js';
export type { QueryServerOptions, QueryServerStore, QueryableStreams } from './query-server-options.js';
export { FORWARDED_FROM_HEADER, FORWARDED_TO_HEADER, SERVED_BY_HEADER } from './forwarding.js';
export { QueryHttpError } from './query-request.js';
export { toJson } from './json-value.js';
