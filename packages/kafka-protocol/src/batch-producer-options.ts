import { ConfigError, type Logger } from '@kstreams/core';
import type { ProduceSenderSettings } from './internal/produce-sender.js';

/** Options of a {@link BatchProducer}. All sizes in bytes, times in milliseconds. */
export interface BatchProducerOptions {
  /** Makes the producer transactional (exactly-once); omitted for an idempotent producer. */
  readonly transactionalId?: string;
  /** `transaction.timeout.ms` sent with InitProducerId (default 60 000, as Java). */
  readonly transactionTimeoutMs?: number;
  /** A partition's batch is sent once it reaches this size (default 128 KiB). */
  readonly batchSizeBytes?: number;
  /** How long a non-full batch waits for more records (default 5, Java 4.x's `linger.ms`). */
  readonly lingerMs?: number;
  /** Produce requests in flight per broker, 1–5 (default 5, Java's `max.in.flight.requests.per.connection`). */
  readonly maxInFlightPerBroker?: number;
  /** Upper bound of one Produce request; a single larger batch is still sent (default 1 MiB, Java's `max.request.size`). */
  readonly maxRequestBytes?: number;
  /** Records buffered (not yet acknowledged) before {@link BatchProducer.hasRoom} says no (default 50 000). */
  readonly bufferMaxRecords?: number;
  /** Bytes buffered before {@link BatchProducer.hasRoom} says no (default 16 MiB). */
  readonly bufferMaxBytes?: number;
  /** The broker's wait for in-sync replicas per request (default 30 000). */
  readonly requestTimeoutMs?: number;
  /** How long a batch may be retried before the send fails (default 120 000, as Java). */
  readonly deliveryTimeoutMs?: number;
  /** Pause before a failed batch is sent again (default 100). */
  readonly retryBackoffMs?: number;
  readonly logger?: Logger;
}

/** The validated options. */
export interface ResolvedProducerOptions extends ProduceSenderSettings {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly bufferMaxRecords: number;
  readonly bufferMaxBytes: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1 || resolved > max) {
    throw new ConfigError(`BatchProducer option ${name} must be an integer from 1 to ${max}; got ${String(value)}.`);
  }
  return resolved;
}

/** Validates options; throws a {@link ConfigError} naming the bad one. */
export function resolveProducerOptions(options: BatchProducerOptions): ResolvedProducerOptions {
  if (options.transactionalId !== undefined && (typeof options.transactionalId !== 'string' || options.transactionalId.length === 0)) {
    throw new ConfigError('BatchProducer option transactionalId must be a non-empty string (or omitted for an idempotent producer).');
  }
  const lingerMs = options.lingerMs ?? 5;
  if (!Number.isInteger(lingerMs) || lingerMs < 0) throw new ConfigError(`BatchProducer option lingerMs must be an integer ≥ 0; got ${String(options.lingerMs)}.`);
  return {
    transactionalId: options.transactionalId ?? null,
    transactionTimeoutMs: positiveInteger('transactionTimeoutMs', options.transactionTimeoutMs, 60_000),
    batchSizeBytes: positiveInteger('batchSizeBytes', options.batchSizeBytes, 128 * 1024),
    lingerMs,
    maxInFlightPerBroker: positiveInteger('maxInFlightPerBroker', options.maxInFlightPerBroker, 5, 5),
    maxRequestBytes: positiveInteger('maxRequestBytes', options.maxRequestBytes, 1024 * 1024),
    bufferMaxRecords: positiveInteger('bufferMaxRecords', options.bufferMaxRecords, 50_000),
    bufferMaxBytes: positiveInteger('bufferMaxBytes', options.bufferMaxBytes, 16 * 1024 * 1024),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    deliveryTimeoutMs: positiveInteger('deliveryTimeoutMs', options.deliveryTimeoutMs, 120_000),
    retryBackoffMs: positiveInteger('retryBackoffMs', options.retryBackoffMs, 100),
  };
}
