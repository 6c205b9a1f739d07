import { Headers } from '../processor/headers.js';
import type { Logger } from './logger.js';
import type { RecordCollector } from './record-collector.js';

/** What a handler decides: drop the record and go on, or stop the task. */
export type HandlerResponse = 'CONTINUE' | 'FAIL';

/** A consumed record as it arrived: bytes, before deserialization. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** What a deserialization handler may use besides the record and the error. */
export interface DeserializationHandlerContext {
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
  readonly sourceNodeName: string;
  readonly logger: Logger;
  /** Sends records out, e.g. to a dead-letter topic. */
  readonly collector: RecordCollector;
}

/**
 * Decides what happens to a record whose key or value cannot be deserialized
 * (`default.deserialization.exception.handler` in Kafka Streams).
 */
export interface DeserializationExceptionHandler {
  handle(context: DeserializationHandlerContext, record: RawRecord, error: unknown): HandlerResponse;
}

function describe(record: RawRecord): string {
  return `topic "${record.topic}" partition ${record.partition} offset ${record.offset}`;
}

/** Header names Kafka Streams (KIP-1034) writes on dead-letter records. */
export const DEAD_LETTER_HEADERS = {
  exception: '__streams.errors.exception',
  message: '__streams.errors.message',
  stacktrace: '__streams.errors.stacktrace',
  topic: '__streams.errors.topic',
  partition: '__streams.errors.partition',
  offset: '__streams.errors.offset',
} as const;

function deadLetterHeaders(record: RawRecord, error: unknown): Headers {
  const headers = record.headers.clone();
  const failure = error instanceof Error ? error : new Error(String(error));
  headers.add(DEAD_LETTER_HEADERS.exception, failure.name);
  headers.add(DEAD_LETTER_HEADERS.message, failure.message);
  headers.add(DEAD_LETTER_HEADERS.stacktrace, failure.stack ?? '');
  headers.add(DEAD_LETTER_HEADERS.topic, record.topic);
  headers.add(DEAD_LETTER_HEADERS.partition, String(record.partition));
  headers.add(DEAD_LETTER_HEADERS.offset, String(record.offset));
  return headers;
}

/** Ready-made deserialization exception handlers. */
export const deserializationHandlers = {
  /** Logs the error and stops the task (the default, as in Kafka Streams). */
  logAndFail: {
    handle(context, record, error) {
      context.logger.error(`Cannot deserialize the record at ${describe(record)}; failing the task.`, { error });
      return 'FAIL';
    },
  } satisfies DeserializationExceptionHandler as DeserializationExceptionHandler,

  /** Logs the error, drops the record (counted as dropped) and goes on. */
  logAndContinue: {
    handle(context, record, error) {
      context.logger.warn(`Skipping the record at ${describe(record)}: it cannot be deserialized.`, { error });
      return 'CONTINUE';
    },
  } satisfies DeserializationExceptionHandler as DeserializationExceptionHandler,

  /**
   * Sends the raw record to `topic` with headers naming the origin topic, partition, offset and
   * the error, then continues.
   */
  deadLetterQueue(topic: string): DeserializationExceptionHandler {
    return {
      handle(context, record, error) {
        context.collector.send({
          topic,
          key: record.key,
          value: record.value,
          headers: deadLetterHeaders(record, error),
          timestamp: record.timestamp,
          producerName: context.sourceNodeName,
        });
        context.logger.warn(`Sent the undeserializable record at ${describe(record)} to dead-letter topic "${topic}".`);
        return 'CONTINUE';
      },
    };
  },
};
