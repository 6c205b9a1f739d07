import type { Kafka } from 'kafkajs';
import type { GroupConsumer } from './kafka-client.js';
import { privateClusterFactory } from './kafkajs-changelog-reader-cluster.js';

/** The coordinator a FindCoordinator request asks for: a consumer group's or a transactional id's. */
export type CoordinatorKey = { readonly groupId: string } | { readonly transactionalId: string };

interface ProbeCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  brokerPool: { seedBroker?: { findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<unknown> } };
}

const GROUP = 0;
const TRANSACTION = 1;

/**
 * Asks the bootstrap broker for the coordinator of `key` and returns the broker's error (e.g.
 * GROUP_AUTHORIZATION_FAILED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED), or `undefined` when it
 * answers. kafkajs' cluster swallows that error into a bare `KafkaJSGroupCoordinatorNotFound`;
 * this recovers it. Uses a private cluster of `kafka`, so the same TLS and SASL settings.
 */
export async function probeCoordinator(kafka: Kafka, key: CoordinatorKey): Promise<unknown> {
  const cluster = privateClusterFactory<ProbeCluster>(kafka)({ allowAutoTopicCreation: false, isolationLevel: 1, instrumentationEmitter: null, maxInFlightRequests: null });
  try {
    await cluster.connect();
    const request = 'groupId' in key ? { groupId: key.groupId, coordinatorType: GROUP } : { groupId: key.transactionalId, coordinatorType: TRANSACTION };
    await cluster.brokerPool.seedBroker?.findGroupCoordinator(request);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/**
 * `error` itself, unless it is kafkajs' `KafkaJSGroupCoordinatorNotFound` (anywhere in its cause
 * chain) and a probe finds that the broker refuses the coordinator lookup: then the original
 * error with the broker's refusal as its `cause`, ready for `classifySecurityError`.
 *
 * @example
 * const explained = await explainCoordinatorFailure(error, kafka, { transactionalId });
 * throw classifySecurityError(explained, context) ?? explained;
 */
export async function explainCoordinatorFailure(error: unknown, kafka: Kafka, key: CoordinatorKey): Promise<unknown> {
  if (!hasCoordinatorNotFound(error)) return error;
  const refusal = await probeCoordinator(kafka, key);
  if (refusal === undefined) return error;
  return new Error(`${(error as Error).message}: the broker refused the coordinator lookup (${(refusal as Error).message})`, { cause: refusal });
}

function hasCoordinatorNotFound(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 10; depth++) {
    if ((current as { name?: unknown }).name === 'KafkaJSGroupCoordinatorNotFound') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The group consumer with its connect, subscribe and run failures and its crashes explained by
 * {@link explainCoordinatorFailure}, so a missing group ACL surfaces as GROUP_AUTHORIZATION_FAILED.
 */
export function explainingGroupConsumer(consumer: GroupConsumer, kafka: Kafka, groupId: string): GroupConsumer {
  const explain = (error: unknown): Promise<unknown> => explainCoordinatorFailure(error, kafka, { groupId });
  const guarded =
    <Args extends unknown[]>(call: (...args: Args) => Promise<void>) =>
    async (...args: Args): Promise<void> => {
      try {
        await call(...args);
      } catch (error) {
        throw await explain(error);
      }
    };
  return new Proxy(consumer, {
    get(target, property) {
      if (property === 'connect' || property === 'subscribe' || property === 'run') return guarded((target[property] as (...args: unknown[]) => Promise<void>).bind(target));
      if (property === 'onCrash') return (listener: (error: Error) => void) => target.onCrash((error) => void explain(error).then((explained) => listener(explained as Error)));
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
