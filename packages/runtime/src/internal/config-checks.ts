import { ConfigError } from '@kstreams/core';

/** Legal characters and length of a Kafka topic name (and of anything used as its prefix). */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Prints a bad value the way an error message should show it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  return String(value);
}

/** A non-empty string, or a `ConfigError` naming the option. */
export function requireText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${name} must be a non-empty string, got ${describeValue(value)}.`);
  }
  return value;
}

/** A name usable as (a prefix of) a Kafka topic: letters, digits, `.`, `_`, `-`, at most 249. */
export function checkTopicName(name: string, value: string): string {
  if (!TOPIC_NAME.test(value) || value === '.' || value === '..') {
    throw new ConfigError(
      `${name} ${describeValue(value)} cannot be used in Kafka topic names. Use only letters, digits, ".", "_" and "-" (at most 249 characters).`,
    );
  }
  return value;
}

/** An integer within bounds, or a `ConfigError` naming the option, the value and the range. */
export function checkInteger(name: string, value: unknown, bounds: { min: number; max?: number; hint?: string }): number {
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < bounds.min || value > max) {
    const range = bounds.max === undefined ? `>= ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`;
    throw new ConfigError(`${name} must be an integer ${range}, got ${describeValue(value)}.${bounds.hint ? ` ${bounds.hint}` : ''}`);
  }
  return value;
}
