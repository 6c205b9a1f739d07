import { TopologyError } from '../errors/streams-error.js';

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;

/**
 * Checks a node or store name. Names become part of internal topic names (changelogs), so they
 * follow Kafka's topic rules: 1 to 249 of `a-z A-Z 0-9 . _ -`.
 */
export function validateName(kind: 'node' | 'store', name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TopologyError(`Invalid ${kind} name ${JSON.stringify(name)}: give a non-empty string.`);
  }
  if (name.length > MAX_NAME_LENGTH || !LEGAL_NAME.test(name)) {
    throw new TopologyError(
      `Invalid ${kind} name "${name}": use 1 to ${MAX_NAME_LENGTH} characters of a-z, A-Z, 0-9, ".", "_" and "-".`,
    );
  }
}

/** Checks a topic name as Kafka does (legal characters, length, not "." or ".."). */
export function validateTopicName(topic: unknown, nodeName: string): asserts topic is string {
  const legal =
    typeof topic === 'string' &&
    topic.length > 0 &&
    topic.length <= MAX_NAME_LENGTH &&
    LEGAL_NAME.test(topic) &&
    topic !== '.' &&
    topic !== '..';
  if (!legal) {
    throw new TopologyError(
      `Invalid topic name ${JSON.stringify(topic)} on node "${nodeName}": Kafka topic names are 1 to ` +
        `${MAX_NAME_LENGTH} characters of a-z, A-Z, 0-9, ".", "_" and "-" (not "." or "..").`,
    );
  }
}
