import type { NodeLayout } from './broker-config.js';
import type { ClusterSecurity, SecuredListener } from './cluster-security.js';
import { KafkaBrokerError } from './kafka-broker-error.js';

/** A SASL mechanism the local cluster's SASL listeners accept (kafkajs' spelling). */
export type ClusterSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** What a kafkajs client (or `KafkaStreams`) needs to reach one listener as one user. */
export interface ClusterConnectionSettings {
  /** Bootstrap servers of the listener, `host:port` for every node. */
  readonly brokers: string[];
  /** TLS trusting the cluster's local CA, on SSL and SASL_SSL listeners. */
  readonly ssl?: { readonly ca: string[] };
  /** The user's SASL login, on SASL listeners. */
  readonly sasl?: ClusterSaslLogin;
}

/** A SASL login in kafkajs' `sasl` shape (one member per mechanism, as kafkajs types it). */
export type ClusterSaslLogin = { [M in ClusterSaslMechanism]: { mechanism: M; username: string; password: string } }[ClusterSaslMechanism];

/** Which listener and user {@link connectionSettings} is for. */
export interface ConnectionRequest {
  /** Default: PLAINTEXT on a plain cluster, INTERNAL (as the admin) on a secured one. */
  readonly listener?: SecuredListener | 'INTERNAL' | 'PLAINTEXT';
  /** The user to log in as on a SASL listener; default the admin. */
  readonly user?: string;
  /** Default `scram-sha-512` on SASL_SSL, `plain` on SASL_PLAINTEXT and INTERNAL. */
  readonly mechanism?: ClusterSaslMechanism;
  /** Log in with this password instead of the user's (tests of failed logins). */
  readonly password?: string;
}

/** The cluster's security and its CA in PEM, as {@link connectionSettings} needs them. */
export interface SecuredClusterView {
  readonly host: string;
  readonly nodes: readonly NodeLayout[];
  readonly security: ClusterSecurity | undefined;
  readonly caPem: string | undefined;
}

/** Connection settings for one listener and user of a local cluster; throws naming what does not exist. */
export function connectionSettings(cluster: SecuredClusterView, request: ConnectionRequest = {}): ClusterConnectionSettings {
  const { security } = cluster;
  const listener = request.listener ?? (security === undefined ? 'PLAINTEXT' : 'INTERNAL');
  if (security === undefined) {
    if (listener !== 'PLAINTEXT') throw new KafkaBrokerError(`This cluster has no ${listener} listener: start it with security: { listeners: ["${listener}"] }.`);
    return { brokers: cluster.nodes.map((node) => `${cluster.host}:${node.brokerPort}`) };
  }
  if (listener === 'PLAINTEXT') throw new KafkaBrokerError('A secured cluster has no PLAINTEXT listener; use INTERNAL (as the admin) or one of its secured listeners.');
  const brokers = cluster.nodes.map((node) => `${cluster.host}:${portOf(node, listener, security)}`);
  const ssl = listener === 'SSL' || listener === 'SASL_SSL' ? { ssl: { ca: [cluster.caPem ?? ''] } } : {};
  if (listener === 'SSL') return { brokers, ...ssl };
  const username = request.user ?? security.admin.name;
  const user = [security.admin, ...security.users].find((candidate) => candidate.name === username);
  if (user === undefined) throw new KafkaBrokerError(`This cluster has no user "${username}"; add it to security.users.`);
  const mechanism = request.mechanism ?? (listener === 'SASL_SSL' ? 'scram-sha-512' : 'plain');
  return { brokers, ...ssl, sasl: { mechanism, username, password: request.password ?? user.password } };
}

function portOf(node: NodeLayout, listener: SecuredListener | 'INTERNAL', security: ClusterSecurity): number {
  if (listener === 'INTERNAL') return node.brokerPort;
  const port = node.securedPorts?.[listener];
  if (port === undefined || !security.listeners.includes(listener)) {
    throw new KafkaBrokerError(`This cluster has no ${listener} listener; it has ${security.listeners.join(', ')}. Add "${listener}" to security.listeners.`);
  }
  return port;
}
