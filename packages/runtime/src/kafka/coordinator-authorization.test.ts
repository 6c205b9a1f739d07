import { describe, expect, it } from 'vitest';
import { explainCoordinatorFailure, isCoordinatorNotFound } from './coordinator-authorization.js';
import type { InternalCluster } from './kafkajs-private-cluster.js';

const notFound = Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound' });
const refusal = Object.assign(new Error('Not authorized to access group'), { type: 'GROUP_AUTHORIZATION_FAILED' });

/** A cluster whose seed broker answers FindCoordinator with `answer` (an error to throw, or a value). */
function clusterAnswering(answer: unknown, requests: unknown[] = []): InternalCluster {
  const seedBroker = {
    findGroupCoordinator: async (request: unknown) => {
      requests.push(request);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { brokerPool: { seedBroker }, findGroupCoordinator: async () => undefined } as unknown as InternalCluster;
}

describe('explainCoordinatorFailure', () => {
  it("replaces kafkajs' bare coordinator-not-found with the broker's refusal of the lookup", async () => {
    const requests: unknown[] = [];
    expect(await explainCoordinatorFailure(notFound, clusterAnswering(refusal, requests), { groupId: 'wc' })).toBe(refusal);
    expect(await explainCoordinatorFailure(new Error('wrapped', { cause: notFound }), clusterAnswering(refusal), { transactionalId: 'wc-0_1' })).toBe(refusal);
    expect(requests).toEqual([{ groupId: 'wc', coordinatorType: 0 }]);
  });

  it('keeps the original error when the broker answers, and leaves other errors alone without asking', async () => {
    expect(await explainCoordinatorFailure(notFound, clusterAnswering({ coordinator: { nodeId: 1 } }), { groupId: 'wc' })).toBe(notFound);
    const requests: unknown[] = [];
    const other = new Error('boom');
    expect(await explainCoordinatorFailure(other, clusterAnswering(refusal, requests), { groupId: 'wc' })).toBe(other);
    expect(requests).toEqual([]);
  });

  it('asks for the transaction coordinator of a transactional id', async () => {
    const requests: unknown[] = [];
    await explainCoordinatorFailure(notFound, clusterAnswering(refusal, requests), { transactionalId: 'wc-0_1' });
    expect(requests).toEqual([{ groupId: 'wc-0_1', coordinatorType: 1 }]);
  });
});

describe('isCoordinatorNotFound', () => {
  it('looks through the cause chain', () => {
    expect(isCoordinatorNotFound(new Error('x', { cause: notFound }))).toBe(true);
    expect(isCoordinatorNotFound(refusal)).toBe(false);
    expect(isCoordinatorNotFound(undefined)).toBe(false);
  });
});
