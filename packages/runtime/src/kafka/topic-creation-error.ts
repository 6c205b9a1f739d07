import { StreamsError } from '@kstreams/core';
import type { NewTopic } from './kafka-client.js';

/** One topic's failure as kafkajs reports it (`KafkaJSCreateTopicError`). */
interface TopicFailure {
  readonly topic: string;
  readonly type: string;
  readonly message: string;
}

/** The per-topic failures of kafkajs' `KafkaJSAggregateError: Topic creation errors`, if `error` is one. */
export function topicCreationFailures(error: unknown): TopicFailure[] | undefined {
  const errors = (error as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const failures = errors.filter(
    (each): each is TopicFailure => typeof each === 'object' && each !== null && typeof each.topic === 'string' && typeof each.type === 'string',
  );
  return failures.length === 0 ? undefined : failures;
}

/**
 * Turns kafkajs' topic creation errors into one {@link StreamsError} that names each topic, the
 * broker's reason and the fix. `brokerCount` (from the cluster metadata) makes replication
 * factor errors precise. Topics that already exist (created concurrently) are not failures.
 */
export function topicCreationError(error: unknown, topics: readonly NewTopic[], brokerCount: number | undefined): StreamsError | undefined {
  const failures = topicCreationFailures(error)?.filter((failure) => failure.type !== 'TOPIC_ALREADY_EXISTS');
  if (failures === undefined || failures.length === 0) return undefined;
  const reasons = failures.map((failure) => {
    const topic = topics.find((candidate) => candidate.topic === failure.topic);
    return `Cannot create internal topic "${failure.topic}": ${explainFailure(failure, topic, brokerCount)}`;
  });
  return new StreamsError(reasons.join('\n'), { cause: error });
}

function explainFailure(failure: TopicFailure, topic: NewTopic | undefined, brokerCount: number | undefined): string {
  const code = `(${failure.type})`;
  switch (failure.type) {
    case 'INVALID_REPLICATION_FACTOR':
      return explainReplicationFactor(topic?.replicationFactor, brokerCount, code);
    case 'INVALID_PARTITIONS':
      return `${topic?.numPartitions ?? 'its'} partitions is not a valid partition count ${code}. Check the partition counts of the source topics.`;
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'CLUSTER_AUTHORIZATION_FAILED':
      return `the client is not allowed to create topics ${code}. Grant the application's principal CREATE on the cluster or on topics prefixed with the application id, or create the topic beforehand.`;
    case 'INVALID_CONFIG':
    case 'INVALID_REQUEST':
      return `the broker rejected its configs ${JSON.stringify(topic?.configs ?? {})} ${code}: ${failure.message}. Fix the store's log config (withLoggingEnabled).`;
    case 'POLICY_VIOLATION':
      return `the broker's create-topic policy refused it ${code}. Create the topic beforehand or relax the policy.`;
    default:
      return `${failure.message} ${code}.`;
  }
}

function explainReplicationFactor(replicationFactor: number | undefined, brokerCount: number | undefined, code: string): string {
  const factor = replicationFactor === undefined || replicationFactor === -1 ? "the broker's default.replication.factor" : `replication factor ${replicationFactor}`;
  if (brokerCount === undefined) return `${factor} is invalid for this cluster ${code}. Set replicationFactor to at most the number of brokers.`;
  const brokers = `${brokerCount} available ${brokerCount === 1 ? 'broker' : 'brokers'}`;
  return `${factor} is larger than the ${brokers} ${code}. Set replicationFactor to ${brokerCount} or add brokers.`;
}
