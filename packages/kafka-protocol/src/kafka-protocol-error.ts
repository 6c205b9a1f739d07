import { ProducerFencedError, StreamsError, type StreamsErrorOptions } from '@kstreams/core';
import { kafkaErrorCode } from './kafka-error-codes.js';

/** Options of a {@link KafkaProtocolError}. */
export interface KafkaProtocolErrorOptions extends StreamsErrorOptions {
  /** The broker's error code, when the error came from one. */
  readonly errorCode?: number | undefined;
}

/**
 * A request failed: a broker answered with an error code, or the request could not be sent.
 * `retriable` follows Java's `Errors` table; `errorName` is the Kafka name (`NOT_COORDINATOR`).
 */
export class KafkaProtocolError extends StreamsError {
  readonly errorCode: number | undefined;
  readonly errorName: string | undefined;

  constructor(message: string, options: KafkaProtocolErrorOptions = {}) {
    super(message, options);
    this.errorCode = options.errorCode;
    this.errorName = options.errorCode === undefined ? undefined : kafkaErrorCode(options.errorCode).name;
  }

  /** An error for a broker's error code, with Java's retriability. */
  static fromCode(errorCode: number, context: string, brokerMessage?: string | null): KafkaProtocolError {
    const { name, retriable } = kafkaErrorCode(errorCode);
    const detail = brokerMessage ? ` (${brokerMessage})` : '';
    return new KafkaProtocolError(`${context} failed with ${name}${detail}`, { errorCode, retriable });
  }
}

/**
 * This producer was fenced: another producer with the same transactional id (a newer epoch)
 * took over, or the coordinator bumped the epoch. Not retriable: the producer must be closed
 * and its work redone by whoever owns the transactional id now (the task is a zombie).
 */
export class ProducerFencedProtocolError extends ProducerFencedError {
  readonly errorCode: number | undefined;

  constructor(transactionalId: string | null, errorCode: number | undefined, cause?: unknown) {
    const name = errorCode === undefined ? 'PRODUCER_FENCED' : kafkaErrorCode(errorCode).name;
    super(
      `Producer with transactional id "${transactionalId ?? '(idempotent)'}" was fenced (${name}): a newer producer with the same id took over. ` +
        'Close this producer and stop the tasks it served; they are owned elsewhere now.',
      { retriable: false, cause },
    );
    this.errorCode = errorCode;
  }
}

/** The consumer group generation or member id given with TxnOffsetCommit is stale (KIP-447 fencing). */
export class GroupFencedError extends StreamsError {
  readonly errorName: string;

  constructor(groupId: string, errorCode: number) {
    const { name } = kafkaErrorCode(errorCode);
    super(
      `Offsets of group "${groupId}" were refused with ${name}: this member's generation or member id is stale (it was fenced by a rebalance). ` +
        'Abort the transaction and rejoin the group.',
      { retriable: false },
    );
    this.errorName = name;
  }
}
