/**
 * Ready-made timestamp extractors, as in Kafka Streams. A negative result makes the engine drop
 * the record (and count it); an extractor that throws stops the task.
 */
import { StreamsError } from '../errors/streams-error.js';
import type { ConsumedRecord, TimestampExtractor } from './timestamp-extractor.js';

/** What the wall-clock extractor reads the time from (the engine's `Clock` fits). */
export interface TimestampClock {
  nowMs(): number;
}

/** Where `LogAndSkipOnInvalidTimestamp` reports skipped records (the engine's `Logger` fits). */
export interface TimestampWarningLogger {
  warn(message: string, extra?: { [key: string]: unknown }): void;
}

function describeRecord(record: ConsumedRecord): string {
  return `topic "${record.topic}" partition ${record.partition} offset ${record.offset}`;
}

/**
 * The timestamp Kafka stored with the record (create time or log-append time). The default.
 * A negative timestamp is returned as is, so the engine drops the record.
 */
export class RecordTimestampExtractor implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    return record.timestamp;
  }
}

/** Like `RecordTimestampExtractor`, but a negative timestamp throws: the task stops. */
export class FailOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord): number {
    if (record.timestamp < 0) {
      throw new StreamsError(
        `Record at ${describeRecord(record)} has invalid (negative) timestamp ${record.timestamp}. ` +
          'Fix the producer, or use LogAndSkipOnInvalidTimestamp, UsePartitionTimeOnInvalidTimestamp or a custom extractor.',
      );
    }
    return record.timestamp;
  }
}

/** Like `RecordTimestampExtractor`, but logs a warning for a negative timestamp (the engine drops the record). */
export class LogAndSkipOnInvalidTimestamp implements TimestampExtractor {
  readonly #logger: TimestampWarningLogger | undefined;

  constructor(options: { logger?: TimestampWarningLogger } = {}) {
    this.#logger = options.logger;
  }

  extract(record: ConsumedRecord): number {
    if (record.timestamp < 0) {
      this.#logger?.warn(`Skipping the record at ${describeRecord(record)}: its timestamp ${record.timestamp} is negative.`, {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      });
    }
    return record.timestamp;
  }
}

/**
 * Like `RecordTimestampExtractor`, but a negative timestamp is replaced by the partition's time
 * (the highest valid timestamp seen on it). Throws when the partition has no time yet.
 */
export class UsePartitionTimeOnInvalidTimestamp implements TimestampExtractor {
  extract(record: ConsumedRecord, partitionTimeMs: number): number {
    if (record.timestamp >= 0) return record.timestamp;
    if (partitionTimeMs < 0) {
      throw new StreamsError(
        `Record at ${describeRecord(record)} has invalid (negative) timestamp ${record.timestamp} and the partition has no time yet to use instead. ` +
          'Fix the producer, or use LogAndSkipOnInvalidTimestamp to drop such records.',
      );
    }
    return partitionTimeMs;
  }
}

/** Processing time: the clock's current time, whatever the record says. */
export class WallclockTimestampExtractor implements TimestampExtractor {
  readonly #clock: TimestampClock;

  /** `clock` defaults to the system clock; inject one to control time in tests. */
  constructor(options: { clock?: TimestampClock } = {}) {
    this.#clock = options.clock ?? { nowMs: () => Date.now() };
  }

  extract(): number {
    return this.#clock.nowMs();
  }
}

/**
 * Wraps a function as a timestamp extractor.
 *
 * @example
 * const byField = timestampExtractor((record) => (record.value as Order).placedAtMs);
 */
export function timestampExtractor<K = unknown, V = unknown>(
  extract: (record: ConsumedRecord<K, V>, partitionTimeMs: number) => number,
): TimestampExtractor {
  return { extract: (record, partitionTimeMs) => extract(record as ConsumedRecord<K, V>, partitionTimeMs) };
}
