import { describe, expect, it } from 'vitest';
import { GroupFencedError, KafkaProtocolError, ProducerFencedProtocolError } from '../kafka-protocol-error.js';
import { errorCodeOf, withCoordinatorRetry } from './coordinator-retry.js';

/** An error shaped like kafkajs 2.2.4's `KafkaJSProtocolError`. */
const kafkajsError = (code: number, message = 'broker said no') => Object.assign(new Error(message), { name: 'KafkaJSProtocolError', code });
const options = { description: 'EndTxn(commit)', transactionalId: 'app-0_1', timeoutMs: 10_000, sleep: () => Promise.resolve() };

function failingThen<Result>(errors: unknown[], result: Result): { operation: () => Promise<Result>; calls: () => number } {
  let calls = 0;
  return {
    operation: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return result;
    },
    calls: () => calls,
  };
}

describe('withCoordinatorRetry', () => {
  it('retries CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR and lost connections', async () => {
    const connectionLost = Object.assign(new Error('closed'), { name: 'KafkaJSConnectionClosedError' });
    const { operation, calls } = failingThen([kafkajsError(51), kafkajsError(14), kafkajsError(16), connectionLost], 'done');
    await expect(withCoordinatorRetry(operation, options)).resolves.toBe('done');
    expect(calls()).toBe(5);
  });

  it('turns INVALID_PRODUCER_EPOCH and PRODUCER_FENCED (unknown to kafkajs) into ProducerFencedProtocolError', async () => {
    for (const error of [kafkajsError(47), kafkajsError(-99, 'Unknown error code 90')]) {
      const failure = await withCoordinatorRetry(failingThen([error], 'never').operation, options).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ProducerFencedProtocolError);
      expect((failure as ProducerFencedProtocolError).retriable).toBe(false);
      expect((failure as Error).message).toContain('"app-0_1"');
    }
  });

  it('fails at once on a non-retriable code, naming the request and the code', async () => {
    const failure = await withCoordinatorRetry(failingThen([kafkajsError(48)], 'never').operation, options).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(KafkaProtocolError);
    expect((failure as Error).message).toBe('EndTxn(commit) failed with INVALID_TXN_STATE');
  });

  it('passes kstreams errors through unchanged', async () => {
    const fenced = new GroupFencedError('group', 22);
    await expect(withCoordinatorRetry(failingThen([fenced], 'never').operation, options)).rejects.toBe(fenced);
  });

  it('gives up on a retriable code once the timeout has passed', async () => {
    const { operation } = failingThen(Array.from({ length: 1000 }, () => kafkajsError(51)), 'never');
    const failure = await withCoordinatorRetry(operation, { ...options, timeoutMs: 0 }).catch((caught: unknown) => caught);
    expect((failure as KafkaProtocolError).errorName).toBe('CONCURRENT_TRANSACTIONS');
  });
});

describe('errorCodeOf', () => {
  it('reads codes of kafkajs and kstreams errors, and none of other errors', () => {
    expect(errorCodeOf(kafkajsError(6))).toBe(6);
    expect(errorCodeOf(KafkaProtocolError.fromCode(10, 'Produce'))).toBe(10);
    expect(errorCodeOf(new Error('plain'))).toBeUndefined();
  });
});
