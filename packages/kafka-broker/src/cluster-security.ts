import { randomBytes } from 'node:crypto';
import { KafkaBrokerError } from './kafka-broker-error.js';
import type { TlsMaterial } from './tls-material.js';

/** A client-facing secured listener a local cluster can open next to its internal one. */
export type SecuredListener = 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT';

/** The listeners, in the order their ports are handed out. */
export const SECURED_LISTENERS: readonly SecuredListener[] = ['SSL', 'SASL_SSL', 'SASL_PLAINTEXT'];

/** A SASL user created when the cluster is formatted (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN). */
export interface ClusterUser {
  readonly name: string;
  readonly password: string;
}

/** `security` option of `KafkaCluster.start`: which secured listeners to open, which users to create. */
export interface ClusterSecurityOptions {
  /** Client listeners to open; each node gets one port per listener. */
  readonly listeners: readonly SecuredListener[];
  /** SASL users besides the admin (a super user the cluster creates with a random password). */
  readonly users?: readonly ClusterUser[];
}

/** The resolved security of a cluster: listeners, users (admin first) and, with TLS, the CA. */
export interface ClusterSecurity {
  readonly listeners: readonly SecuredListener[];
  readonly admin: ClusterUser;
  readonly users: readonly ClusterUser[];
  readonly tls: TlsMaterial | undefined;
}

/** The admin (super user) name; the broker itself authenticates as this user too. */
export const ADMIN_USER = 'admin';
const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
// The format tool's `--add-scram` syntax and JAAS quoting rule out these characters.
const PASSWORD_PATTERN = /^[^\s",=\[\]\\;]+$/;

/** Checks the options and adds the admin user; throws a {@link KafkaBrokerError} naming a bad field. */
export function resolveSecurityUsers(options: ClusterSecurityOptions): { listeners: SecuredListener[]; admin: ClusterUser; users: ClusterUser[] } {
  if (!Array.isArray(options.listeners) || options.listeners.length === 0) {
    throw new KafkaBrokerError(`security.listeners must list at least one of ${SECURED_LISTENERS.join(', ')}.`);
  }
  for (const listener of options.listeners) {
    if (!SECURED_LISTENERS.includes(listener)) throw new KafkaBrokerError(`security.listeners has an unknown listener "${String(listener)}"; use ${SECURED_LISTENERS.join(', ')}.`);
  }
  const admin = { name: ADMIN_USER, password: randomBytes(12).toString('hex') };
  const users = [...(options.users ?? [])];
  for (const [index, user] of users.entries()) {
    if (typeof user?.name !== 'string' || !NAME_PATTERN.test(user.name) || user.name === ADMIN_USER) {
      throw new KafkaBrokerError(`security.users[${index}].name must be letters, digits, ".", "_" or "-" and not "${ADMIN_USER}".`);
    }
    if (typeof user.password !== 'string' || !PASSWORD_PATTERN.test(user.password)) {
      throw new KafkaBrokerError(`security.users[${index}].password (user "${user.name}") must be non-empty, without spaces, quotes, commas, "=", ";", "[", "]" or "\\".`);
    }
  }
  return { listeners: SECURED_LISTENERS.filter((listener) => options.listeners.includes(listener)), admin, users };
}

/** Whether any listener needs the TLS material. */
export function needsTls(listeners: readonly SecuredListener[]): boolean {
  return listeners.includes('SSL') || listeners.includes('SASL_SSL');
}

/** `--add-scram` arguments of the storage tool: every user, admin included, for both SCRAM digests. */
export function scramFormatArguments(security: ClusterSecurity): string[] {
  return [security.admin, ...security.users].flatMap((user) =>
    ['SCRAM-SHA-512', 'SCRAM-SHA-256'].flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${user.name},password=${user.password}]`]),
  );
}

function plainJaas(security: ClusterSecurity, withOwnLogin: boolean): string {
  const { admin } = security;
  const login = withOwnLogin ? ` username="${admin.name}" password="${admin.password}"` : '';
  const users = [admin, ...security.users].map((user) => ` user_${user.name}="${user.password}"`).join('');
  return `org.apache.kafka.common.security.plain.PlainLoginModule required${login}${users};`;
}

const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

/**
 * Broker properties of a secured cluster. The internal listener (inter-broker traffic, the
 * controller quorum, readiness checks) is SASL_PLAINTEXT with PLAIN as the admin, a super user;
 * the client listeners authenticate with SCRAM-SHA-512/256 or PLAIN; TLS uses the local CA's
 * keystore; the StandardAuthorizer denies whatever no ACL allows.
 */
export function securityProperties(security: ClusterSecurity): Record<string, string> {
  const properties: Record<string, string> = {
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512,SCRAM-SHA-256',
    'sasl.mechanism.inter.broker.protocol': 'PLAIN',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.internal.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.internal.plain.sasl.jaas.config': plainJaas(security, true),
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': plainJaas(security, true),
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${security.admin.name}`,
    'allow.everyone.if.no.acl.found': 'false',
  };
  for (const listener of security.listeners.filter((name) => name.startsWith('SASL_'))) {
    const prefix = `listener.name.${listener.toLowerCase()}`;
    properties[`${prefix}.plain.sasl.jaas.config`] = plainJaas(security, false);
    properties[`${prefix}.scram-sha-512.sasl.jaas.config`] = SCRAM_JAAS;
    properties[`${prefix}.scram-sha-256.sasl.jaas.config`] = SCRAM_JAAS;
  }
  if (security.tls !== undefined) Object.assign(properties, tlsProperties(security.tls));
  return properties;
}

function tlsProperties(tls: TlsMaterial): Record<string, string> {
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': tls.keystoreFile,
    'ssl.keystore.password': tls.storePassword,
    'ssl.key.password': tls.storePassword,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': tls.truststoreFile,
    'ssl.truststore.password': tls.storePassword,
    'ssl.client.auth': 'none',
  };
}
