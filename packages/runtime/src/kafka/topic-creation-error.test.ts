import { describe, expect, it } from 'vitest';
import { topicCreationError } from './topic-creation-error.js';

/** The shape kafkajs 2.2.4 throws: `KafkaJSAggregateError('Topic creation errors', [KafkaJSCreateTopicError…])`. */
function aggregate(...failures: { topic: string; type: string; message: string }[]): Error {
  return Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: failures });
}

describe('topicCreationError', () => {
  it('explains a replication factor larger than the cluster', () => {
    const error = aggregate({ topic: 'app-counts-changelog', type: 'INVALID_REPLICATION_FACTOR', message: 'Replication-factor is invalid' });
    expect(topicCreationError(error, [{ topic: 'app-counts-changelog', numPartitions: 4, replicationFactor: 3 }], 1)?.message).toBe(
      'Cannot create internal topic "app-counts-changelog": replication factor 3 is larger than the 1 available broker (INVALID_REPLICATION_FACTOR). Set replicationFactor to 1 or add brokers.',
    );
  });

  it('names every failing topic and skips the ones that already exist', () => {
    const error = aggregate(
      { topic: 'a', type: 'TOPIC_AUTHORIZATION_FAILED', message: 'Not authorized to access topics' },
      { topic: 'b', type: 'TOPIC_ALREADY_EXISTS', message: 'Topic with this name already exists' },
      { topic: 'c', type: 'INVALID_CONFIG', message: 'Configuration is invalid' },
    );
    const topics = [
      { topic: 'a', numPartitions: 1, replicationFactor: -1 },
      { topic: 'c', numPartitions: 1, replicationFactor: -1, configs: { 'retention.ms': 'soon' } },
    ];
    const lines = topicCreationError(error, topics, 3)?.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines?.[0]).toMatch(/^Cannot create internal topic "a": the client is not allowed to create topics \(TOPIC_AUTHORIZATION_FAILED\)\. Grant/);
    expect(lines?.[1]).toBe(
      'Cannot create internal topic "c": the broker rejected its configs {"retention.ms":"soon"} (INVALID_CONFIG): Configuration is invalid. Fix the store\'s log config (withLoggingEnabled).',
    );
  });

  it('speaks of the broker default replication factor when none is set', () => {
    const error = aggregate({ topic: 't', type: 'INVALID_REPLICATION_FACTOR', message: 'Replication-factor is invalid' });
    expect(topicCreationError(error, [{ topic: 't', numPartitions: 1, replicationFactor: -1 }], 2)?.message).toContain(
      "the broker's default.replication.factor is larger than the 2 available brokers",
    );
  });

  it('leaves other errors and all-existing topics alone', () => {
    expect(topicCreationError(new Error('Connection error'), [], 1)).toBeUndefined();
    expect(topicCreationError(aggregate({ topic: 'b', type: 'TOPIC_ALREADY_EXISTS', message: 'exists' }), [], 1)).toBeUndefined();
  });
});
