import { deserializationHandlers, type TaskConfig, type TopologyModel } from '@kstreams/core';
import type { StreamsConfig } from '../streams-config.js';

/** Every source topic and pattern of the topology: what the consumer subscribes to. */
export function sourceSubscription(model: TopologyModel): (string | RegExp)[] {
  return model.subtopologies.flatMap((subtopology) => [...subtopology.sourceTopics, ...subtopology.sourcePatterns]);
}

/** Source topics indexed by sub-topology id, for the assigner (holes, e.g. global groups, stay empty). */
export function topicGroups(model: TopologyModel): string[][] {
  const groups: string[][] = [];
  for (const subtopology of model.subtopologies) groups[subtopology.id] = [...subtopology.sourceTopics];
  return Array.from(groups, (group) => group ?? []);
}

/**
 * The engine's settings from a StreamsConfig. With `dlqTopic` set and no deserialization handler
 * of its own, undeserializable records go to the dead-letter topic (KIP-1034's default).
 */
export function taskConfigFrom(config: StreamsConfig): TaskConfig {
  const deserializationHandler =
    config.deserializationExceptionHandler ?? (config.dlqTopic === undefined ? undefined : deserializationHandlers.deadLetterQueue(config.dlqTopic));
  return {
    applicationId: config.applicationId,
    appConfigs: config.appConfigs(),
    stateDir: config.stateDir,
    logger: config.logger,
    ...(config.defaultKeySerde === undefined ? {} : { defaultKeySerde: config.defaultKeySerde }),
    ...(config.defaultValueSerde === undefined ? {} : { defaultValueSerde: config.defaultValueSerde }),
    ...(config.defaultTimestampExtractor === undefined ? {} : { defaultTimestampExtractor: config.defaultTimestampExtractor }),
    ...(deserializationHandler === undefined ? {} : { deserializationExceptionHandler: deserializationHandler }),
    ...(config.processingExceptionHandler === undefined ? {} : { processingExceptionHandler: config.processingExceptionHandler }),
  };
}
