import { ConfigError } from '@kstreams/core';

const FOREIGN_KEY_JOIN_TOPIC = /^.+-KTABLE-FK-JOIN-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\d+-topic$/;

/**
 * Whether a topic name has the shape of a Kafka Streams internal topic: a store changelog
 * (`-changelog`), a repartition topic (`-repartition`) or a foreign-key join topic
 * (`-subscription-registration-topic`, `-subscription-response-topic`,
 * `KTABLE-FK-JOIN-SUBSCRIPTION-…-topic`). The application id prefix is checked separately.
 */
export function matchesInternalTopicFormat(topic: string): boolean {
  return (
    topic.endsWith('-changelog') ||
    topic.endsWith('-repartition') ||
    topic.endsWith('-subscription-registration-topic') ||
    topic.endsWith('-subscription-response-topic') ||
    FOREIGN_KEY_JOIN_TOPIC.test(topic)
  );
}

/** The topics of a cluster the reset tool considers, and which of them the user named. */
export interface InternalTopicQuery {
  readonly applicationId: string;
  readonly allTopics: readonly string[];
  readonly inputTopics?: readonly string[];
  readonly intermediateTopics?: readonly string[];
}

/**
 * The application's internal topics among `allTopics`: named `<applicationId>-…` with an
 * internal suffix. Topics named as input or intermediate topics are never included, even when
 * their names look internal (Java's KAFKA-7930).
 */
export function inferInternalTopics(query: InternalTopicQuery): string[] {
  const userTopics = new Set([...(query.inputTopics ?? []), ...(query.intermediateTopics ?? [])]);
  const prefix = `${query.applicationId}-`;
  return query.allTopics.filter((topic) => !userTopics.has(topic) && topic.startsWith(prefix) && matchesInternalTopicFormat(topic)).sort();
}

/**
 * The topics to delete: `specified` when given (each must be one of `inferred`, so a typo or an
 * output topic is never deleted), else every inferred one.
 */
export function selectTopicsToDelete(inferred: readonly string[], specified: readonly string[] | undefined): string[] {
  if (specified === undefined || specified.length === 0) return [...inferred];
  const known = new Set(inferred);
  const unknown = specified.filter((topic) => !known.has(topic));
  if (unknown.length > 0) {
    const found = inferred.length === 0 ? 'none were found' : `found: ${inferred.join(', ')}`;
    throw new ConfigError(
      `--internal-topics names ${unknown.map((topic) => `"${topic}"`).join(', ')}, which ${unknown.length === 1 ? 'is not an internal topic' : 'are not internal topics'} of this application (${found}). ` +
        'Run with --dry-run and without --internal-topics to see the internal topics that can be deleted.',
    );
  }
  return [...new Set(specified)];
}
