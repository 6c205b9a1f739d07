/**
 * Local copies of the task engine's port shapes (`packages/core/src/engine`), used until the
 * engine's barrel exports them. Structural typing keeps them interchangeable with the engine's
 * own types; once `@kstreams/core` exports these names, import them from there instead.
 */
import type { Headers, Record, RecordMetadata } from '@kstreams/core';

/** Any value or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** The logger shape the engine writes to (kafkajs `logCreator`-friendly). */
export interface Logger {
  error(message: string, extra?: { [key: string]: unknown }): void;
  warn(message: string, extra?: { [key: string]: unknown }): void;
  info(message: string, extra?: { [key: string]: unknown }): void;
  debug(message: string, extra?: { [key: string]: unknown }): void;
}

const ignore = (): void => undefined;

/** The default logger: drops everything. */
export const noopLogger: Logger = { error: ignore, warn: ignore, info: ignore, debug: ignore };

/** Picks the partition once the collector knows the topic's partition count. */
export type PartitionChooser = (numPartitions: number) => number | undefined;

/** One serialized record leaving a task. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Headers;
  readonly timestamp: number;
  readonly partition?: number;
  readonly choosePartition?: PartitionChooser;
  readonly producerName: string;
}

/** Port through which tasks send records out. */
export interface RecordCollector {
  send(record: OutgoingRecord): void;
  flush(): MaybePromise<void>;
}

/** What a handler decides. */
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

/** Context handed to a deserialization exception handler. */
export interface DeserializationHandlerContext {
  readonly taskId: string;
  readonly sourceNodeName: string;
  readonly logger: Logger;
  readonly collector: RecordCollector;
}

/** `default.deserialization.exception.handler`. */
export interface DeserializationExceptionHandler {
  handle(context: DeserializationHandlerContext, record: RawRecord, error: unknown): HandlerResponse;
}

/** Context handed to a processing exception handler. */
export interface ProcessingHandlerContext {
  readonly taskId: string;
  readonly processorNodeName: string;
  readonly recordMetadata: RecordMetadata | undefined;
  readonly logger: Logger;
}

/** `processing.exception.handler` (KIP-1033). */
export interface ProcessingExceptionHandler {
  handle(context: ProcessingHandlerContext, record: Record<unknown, unknown>, error: unknown): HandlerResponse;
}
