import { Headers, createCacheBudget, type CacheBudget, type ChangelogWriter, type StateManagerHooks } from '@kstreams/core';
import { changelogTopicName } from './internal-topics.js';
import type { RecordCollector } from './internal/engine-ports.js';

/**
 * The runtime's part in a task's store lifecycle: logged stores write every change to
 * `<applicationId>-<store>-changelog`, partition = the task's partition (as in Kafka Streams),
 * through the same record collector as sink output, so a commit flushes both before offsets.
 * Caching stores share one instance-wide budget. Restoring from changelogs is not done here yet.
 */
export function changelogHooks(options: {
  readonly applicationId: string;
  readonly partition: number;
  readonly collector: RecordCollector;
  readonly cacheBudget: CacheBudget | undefined;
}): StateManagerHooks {
  return {
    changelogWriter(storeName: string): ChangelogWriter {
      const topic = changelogTopicName(options.applicationId, storeName);
      const producerName = `${storeName} changelog`;
      return {
        log(key, value, timestampMs) {
          options.collector.send({ topic, partition: options.partition, key, value, headers: new Headers(), timestamp: timestampMs, producerName });
        },
      };
    },
    cacheBudget: () => options.cacheBudget,
  };
}

/** The instance-wide cache budget, or `undefined` when `statestoreCacheMaxBytes` is 0. */
export function instanceCacheBudget(maxBytes: number): CacheBudget | undefined {
  return maxBytes === 0 ? undefined : createCacheBudget(maxBytes);
}
