import kafkajs from 'kafkajs';
import { toKafkajsAcl, type AclEntry } from './acls.js';
import type { ClusterConnectionSettings } from './cluster-connection.js';
import { KafkaBrokerError } from './kafka-broker-error.js';

const { Kafka, logLevel } = kafkajs;

/** Creates the ACLs through kafkajs' admin client, connected as the cluster's admin (a super user). */
export async function createAcls(admin: ClusterConnectionSettings, entries: readonly AclEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const kafka = new Kafka({ clientId: 'kstreams-broker-acls', ...admin, logLevel: logLevel.NOTHING });
  const client = kafka.admin();
  await client.connect();
  try {
    // kafkajs' types list the enums as string unions of its own; the numbers are the protocol's.
    await client.createAcls({ acl: entries.map(toKafkajsAcl) as never });
  } catch (error) {
    throw new KafkaBrokerError(`Creating ${entries.length} ACL(s) failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.disconnect();
  }
}
