import type { Kafka } from 'kafkajs';
import { createPrivateCluster, type InternalCluster } from './kafkajs-private-cluster.js';

/** The coordinator a FindCoordinator request asks for: a consumer group's or a transactional id's. */
export type CoordinatorKey = { readonly groupId: string } | { readonly transactionalId: string };

/** kafkajs 2.2.4's cluster keeps its bootstrap connection as the broker pool's seed broker. */
interface SeededCluster {
  readonly brokerPool?: { readonly seedBroker?: { findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<unknown> } };
}

const GROUP = 0;
const TRANSACTION = 1;

/**
 * Asks a connected kafkajs cluster's bootstrap broker for the coordinator of `key` and returns the
 * broker's error (GROUP_AUTHORIZATION_FAILED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ...), or
 * `undefined` when it answers. kafkajs' `findGroupCoordinator` swallows that error into a bare
 * `KafkaJSGroupCoordinatorNotFound`; this recovers it.
 */
export async function coordinatorRefusal(cluster: InternalCluster, key: CoordinatorKey): Promise<unknown> {
  const seed = (cluster as unknown as SeededCluster).brokerPool?.seedBroker;
  if (seed === undefined) return undefined;
  const request = 'groupId' in key ? { groupId: key.groupId, coordinatorType: GROUP } : { groupId: key.transactionalId, coordinatorType: TRANSACTION };
  try {
    await seed.findGroupCoordinator(request);
    return undefined;
  } catch (error) {
    return error;
  }
}

/** {@link coordinatorRefusal} through a private cluster of `kafka` (same brokers, TLS and SASL). */
export async function probeCoordinator(kafka: Kafka, key: CoordinatorKey): Promise<unknown> {
  const cluster = createPrivateCluster(kafka);
  try {
    await cluster.connect();
    return await coordinatorRefusal(cluster, key);
  } catch (error) {
    return error;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}

/** True when kafkajs' bare `KafkaJSGroupCoordinatorNotFound` is the error or in its cause chain. */
export function isCoordinatorNotFound(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 10; depth++) {
    if ((current as { name?: unknown }).name === 'KafkaJSGroupCoordinatorNotFound') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * `error` itself, unless it is kafkajs' `KafkaJSGroupCoordinatorNotFound` and the broker refuses
 * the coordinator lookup: then the broker's refusal (a kafkajs protocol error with its `type`),
 * ready for `classifySecurityError` or a fatal-error check.
 *
 * @example
 * const explained = await explainCoordinatorFailure(error, kafka, { transactionalId });
 * throw classifySecurityError(explained, context) ?? explained;
 */
export async function explainCoordinatorFailure(error: unknown, kafka: Kafka | InternalCluster, key: CoordinatorKey): Promise<unknown> {
  if (!isCoordinatorNotFound(error)) return error;
  const refusal = 'findGroupCoordinator' in kafka ? await coordinatorRefusal(kafka, key) : await probeCoordinator(kafka, key);
  return refusal ?? error;
}
