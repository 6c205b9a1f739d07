import { inspect } from 'node:util';
import { KafkaCluster, streamsApplicationAcls, type AclEntry, type ClusterUser } from '@kstreams/kafka-broker';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Logger } from '../engine-ports.js';
import { waitForTopicLeaders } from '../../kafka/kafkajs-admin.js';
import type { StreamsConfigOptions } from '../../streams-config.js';

/** The users the security tests log in as; each gets its own ACLs per test. */
export const USERS = {
  app: { name: 'app', password: 'app-Secret-7f3a9c' },
  restricted: { name: 'restricted', password: 'restricted-Secret-1b2c' },
} satisfies { [name: string]: ClusterUser };

/** A single-node cluster with SASL_SSL (SCRAM-SHA-512) and SASL_PLAINTEXT (PLAIN) listeners and the StandardAuthorizer. */
export async function startSecuredCluster(): Promise<SecuredTestCluster> {
  const cluster = await KafkaCluster.start({ security: { listeners: ['SASL_SSL', 'SASL_PLAINTEXT'], users: Object.values(USERS) } });
  const kafka = new Kafka({ clientId: 'security-test-admin', ...cluster.connectionSettings(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  return new SecuredTestCluster(cluster, kafka, admin, producer);
}

/** The cluster plus admin clients (super user, INTERNAL listener) to create topics and ACLs and to read results. */
export class SecuredTestCluster {
  constructor(
    readonly cluster: KafkaCluster,
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
  ) {}

  /** KafkaStreams options for `user` on SASL_SSL with SCRAM-SHA-512, the CA given as a file. */
  streamsOptions(user: ClusterUser, password = user.password): Pick<StreamsConfigOptions, 'bootstrapServers' | 'ssl' | 'sasl'> {
    const settings = this.cluster.connectionSettings({ listener: 'SASL_SSL', user: user.name, password });
    const caFile = this.cluster.security?.tls?.caPemFile;
    if (caFile === undefined || settings.sasl === undefined) throw new Error('the secured test cluster has no SASL_SSL listener');
    return { bootstrapServers: settings.brokers, ssl: { caFile }, sasl: settings.sasl };
  }

  /** Grants `user` exactly the ACLs Kafka Streams documents for the application. */
  async grantStreamsAcls(user: ClusterUser, access: { applicationId: string; inputTopics: string[]; outputTopics: string[]; exactlyOnce?: boolean }): Promise<AclEntry[]> {
    const acls = streamsApplicationAcls({ user: user.name, ...access });
    await this.cluster.createAcls(acls);
    return acls;
  }

  async createTopics(topics: string[], numPartitions = 1): Promise<void> {
    await this.admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })) });
    await waitForTopicLeaders(this.admin, topics);
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    await this.cluster.stop();
  }
}

/** A logger keeping every line at every level, extras rendered in full, for grepping. */
export function capturingLogger(): Logger & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, extra?: { [key: string]: unknown }): void => {
      lines.push(`${level} ${message}${extra === undefined ? '' : ` ${inspect(extra, { depth: 10, showHidden: true })}`}`);
    };
  return { lines, text: () => lines.join('\n'), error: write('ERROR'), warn: write('WARN'), info: write('INFO'), debug: write('DEBUG') };
}
