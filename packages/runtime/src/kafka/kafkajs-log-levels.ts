/** A level of our {@link Logger}. */
export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

/** One kafkajs log line, with kafkajs' own level already turned into ours. */
export interface KafkajsLogLine {
  readonly namespace: string;
  readonly level: LogLevelName;
  readonly message: string;
  readonly extra: { readonly [key: string]: unknown };
}

/**
 * kafkajs 2.2.4's messages for broker errors that are part of normal operation: a rebalance, a
 * coordinator or leader moving, a topic created concurrently. The client retries or rejoins on
 * its own; a request that finally fails reaches kstreams as an error, which reports it.
 */
const ROUTINE_BROKER_ERRORS: ReadonlySet<string> = new Set([
  'The group is rebalancing, so a rejoin is needed',
  'The coordinator is not aware of this member',
  'Specified group generation id is not valid',
  'The group member needs to have a valid member id before actually entering a consumer group',
  "The coordinator is loading and hence can't process requests for this group",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server is not the leader for that topic-partition',
  'This server does not host this topic-partition',
  'The leader epoch in the request is older than the epoch on the broker',
  'This is not the correct controller for this cluster',
  'The request timed out',
  'The server disconnected before a response was received',
  'Topic with this name already exists',
  'Topic creation errors',
  'There are unstable offsets that need to be cleared',
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing',
]);

/** Crashes kafkajs' consumer restarts from (it retries them: `isErrorRetriable`). */
const RETRIED_CRASH = /^Crash: (KafkaJSNumberOfRetriesExceeded|KafkaJSConnectionError|KafkaJSConnectionClosedError|KafkaJSRequestTimeoutError):/;

/** Lines a connection outage repeats per retry: visible at info, not alarming at every attempt. */
const CONNECTION_RETRY = [/^Connection error: /, /^Connection timeout$/, /^Failed to connect to (seed )?broker/, /^Failed to send messages: /, /^Restarting the consumer in \d+ms$/];

/** Rebalance and metadata chatter of kafkajs' consumer and admin, retried or rejoined on its own. */
const ROUTINE_MESSAGES = [
  /^The group is rebalancing, re-joining$/,
  /^The coordinator is not aware of this member, re-joining the group$/,
  /^Consumer is not aware of all assigned partitions, refreshing metadata$/,
  /, resync group$/,
  /^Could not create topics$/,
  /^KafkaJS v2\.0\.0 switched default partitioner/,
];

/**
 * The level a kafkajs line gets in the application's logger. kafkajs logs many routine events at
 * ERROR or WARN (5–40 lines per rebalance or outage); those go to debug (protocol chatter) or
 * info (connection retries). Everything else keeps kafkajs' level, INFO going to debug.
 */
export function kafkajsLogLevel(line: KafkajsLogLine): LogLevelName {
  if (line.level === 'info' || line.level === 'debug') return 'debug';
  if (line.message.startsWith('Response ') && ROUTINE_BROKER_ERRORS.has(String(line.extra['error']))) return 'debug';
  if (ROUTINE_BROKER_ERRORS.has(line.message) || ROUTINE_MESSAGES.some((pattern) => pattern.test(line.message))) return 'debug';
  if (RETRIED_CRASH.test(line.message) || CONNECTION_RETRY.some((pattern) => pattern.test(line.message))) return 'info';
  return line.level;
}
