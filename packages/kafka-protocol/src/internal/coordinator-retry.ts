import { isFencingCode, kafkaErrorCode } from '../kafka-error-codes.js';
import { StreamsError } from '@kstreams/core';
import { KafkaProtocolError, ProducerFencedProtocolError } from '../kafka-protocol-error.js';

/** Codes after which a coordinator request is retried (re-finding the coordinator first). */
const RETRIED_CODES = new Set([7, 13, 14, 15, 16, 51]);

/** The Kafka error code inside a kafkajs or kstreams error, when there is one. */
export function errorCodeOf(error: unknown): number | undefined {
  if (error instanceof KafkaProtocolError) return error.errorCode;
  const candidate = error as { name?: string; code?: unknown; message?: string };
  if (candidate?.name !== 'KafkaJSProtocolError' || typeof candidate.code !== 'number') return undefined;
  if (candidate.code !== -99) return candidate.code;
  // kafkajs 2.2.4 does not know codes above 88 (e.g. PRODUCER_FENCED = 90): its message has the number.
  const match = /Unknown error code (-?\d+)/.exec(candidate.message ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** Whether a failed send never reached a broker's answer (connection lost, timeout): safe to retry. */
export function isNetworkError(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSLockTimeout', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSGroupCoordinatorNotFound'].includes(name);
}

/** Options of {@link withCoordinatorRetry}. */
export interface CoordinatorRetryOptions {
  readonly description: string;
  readonly transactionalId: string | null;
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a coordinator request, retrying on CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS,
 * NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE and network errors with a growing backoff (the
 * operation re-finds its coordinator each attempt). Fencing codes become
 * {@link ProducerFencedProtocolError}; others a non-retriable {@link KafkaProtocolError}.
 */
export async function withCoordinatorRetry<Result>(operation: () => Promise<Result>, options: CoordinatorRetryOptions): Promise<Result> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + options.timeoutMs;
  let backoffMs = 20;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const code = errorCodeOf(error);
      if (code !== undefined && isFencingCode(code)) throw new ProducerFencedProtocolError(options.transactionalId, code, error);
      const retriable = (code !== undefined && RETRIED_CODES.has(code)) || (code === undefined && isNetworkError(error));
      if (!retriable || Date.now() + backoffMs > deadline) throw asProtocolError(error, code, options.description);
      await sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 1000);
    }
  }
}

function asProtocolError(error: unknown, code: number | undefined, description: string): Error {
  if (StreamsError.isInstance(error)) return error;
  if (code !== undefined) {
    const { name, retriable } = kafkaErrorCode(code);
    return new KafkaProtocolError(`${description} failed with ${name}`, { errorCode: code, retriable, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KafkaProtocolError(`${description} failed: ${message}`, { retriable: isNetworkError(error), cause: error });
}
