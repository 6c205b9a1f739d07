import type { TopologyModel } from '@kstreams/core';
import type { SecurityErrorContext } from './auth-errors.js';
import { changelogTopicName } from './internal-topics.js';
import type { StreamsConfig } from './streams-config.js';

/**
 * What {@link classifySecurityError} needs to know about an application: its id, the SASL user
 * and mechanism it logs in with, and its input, output and changelog topics.
 */
export function securityErrorContext(config: StreamsConfig, model: TopologyModel, operation?: string): SecurityErrorContext {
  const sasl = config.kafka.sasl as { mechanism?: string; username?: string } | undefined;
  const inputTopics = unique(model.subtopologies.flatMap((subtopology) => subtopology.sourceTopics));
  const outputTopics = unique(model.subtopologies.flatMap((subtopology) => subtopology.sinkTopics));
  const changelogs = [...model.stores.values()].filter((store) => !store.global && store.builder.loggingEnabled).map((store) => changelogTopicName(config.applicationId, store.name));
  return {
    applicationId: config.applicationId,
    username: sasl?.username,
    mechanism: sasl?.mechanism,
    inputTopics,
    outputTopics,
    topics: unique([...inputTopics, ...outputTopics, ...changelogs]),
    ...(operation === undefined ? {} : { operation }),
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
