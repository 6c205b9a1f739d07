/** What the kstreams sample apps share. Private: the apps import it from source. */
export { appTelemetry, type AppTelemetry } from './app-telemetry.js';
export { createTopics, type TopicSpec } from './create-topics.js';
export { endedInError } from './ended-in-error.js';
export { runMain } from './run-main.js';
export { startTopicReader, type ReadRecord, type TopicReader } from './topic-reader.js';
export { readLatestPerKey } from './read-latest-per-key.js';
