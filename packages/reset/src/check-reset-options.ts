import { ConfigError } from '@kstreams/core';
import type { OffsetResetTarget, ResetOptions } from './reset-options.js';

const TARGET_TYPES = ['to-earliest', 'to-latest', 'to-datetime', 'by-duration', 'to-offset', 'shift-by', 'from-file'];

/** Checks the reset-specific options (the connection options are checked by `StreamsConfig`). */
export function checkResetOptions(options: ResetOptions): OffsetResetTarget {
  for (const field of ['inputTopics', 'intermediateTopics', 'internalTopics'] as const) checkTopicList(field, options[field]);
  const overlap = (options.inputTopics ?? []).filter((topic) => (options.intermediateTopics ?? []).includes(topic));
  if (overlap.length > 0) {
    throw new ConfigError(`Topic ${overlap.map((topic) => `"${topic}"`).join(', ')} is both an input and an intermediate topic. Name each topic in one list only.`);
  }
  return checkTarget(options.resetTo ?? { type: 'to-earliest' });
}

function checkTopicList(field: string, topics: readonly string[] | undefined): void {
  if (topics === undefined) return;
  if (!Array.isArray(topics)) throw new ConfigError(`${field} must be an array of topic names, got ${typeof topics}.`);
  for (const topic of topics) {
    if (typeof topic !== 'string' || topic.trim() === '') throw new ConfigError(`${field} has an empty or non-string topic name (${JSON.stringify(topic)}).`);
  }
}

function checkTarget(target: OffsetResetTarget): OffsetResetTarget {
  if (typeof target !== 'object' || target === null || !TARGET_TYPES.includes((target as { type?: string }).type ?? '')) {
    throw new ConfigError(`resetTo must be one of ${TARGET_TYPES.map((type) => `{ type: '${type}' }`).join(', ')}, got ${JSON.stringify(target)}.`);
  }
  switch (target.type) {
    case 'to-datetime':
      requireInteger('resetTo.timestamp', target.timestamp, 0);
      break;
    case 'by-duration':
      requireInteger('resetTo.durationMs', target.durationMs, 0);
      break;
    case 'to-offset':
      requireInteger('resetTo.offset', target.offset, 0);
      break;
    case 'shift-by':
      requireInteger('resetTo.shift', target.shift);
      break;
    case 'from-file':
      checkPlan(target.offsets);
      break;
    default:
      break;
  }
  return target;
}

function checkPlan(offsets: readonly { topic: string; partition: number; offset: number }[]): void {
  if (!Array.isArray(offsets) || offsets.length === 0) throw new ConfigError('resetTo.offsets (from-file) must list at least one { topic, partition, offset }.');
  for (const [index, entry] of offsets.entries()) {
    if (typeof entry?.topic !== 'string' || entry.topic === '') throw new ConfigError(`resetTo.offsets[${index}].topic must be a topic name.`);
    requireInteger(`resetTo.offsets[${index}].partition`, entry.partition, 0);
    requireInteger(`resetTo.offsets[${index}].offset`, entry.offset, 0);
  }
}

function requireInteger(field: string, value: unknown, min?: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new ConfigError(`${field} must be ${min === undefined ? 'an integer' : `an integer of at least ${min}`}, got ${JSON.stringify(value)}.`);
  }
}
