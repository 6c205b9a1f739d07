/** A resource type an ACL can name (Kafka's `ResourceType`). */
export type AclResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';

/** An operation an ACL allows or denies (Kafka's `AclOperation`). */
export type AclOperation = 'ALL' | 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'ALTER' | 'DESCRIBE' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS' | 'IDEMPOTENT_WRITE';

/** One ACL binding: `principal` may (or may not) do `operation` on the resources the pattern matches. */
export interface AclEntry {
  /** The user name (`app`) or a full principal (`User:app`). */
  readonly principal: string;
  readonly resourceType: AclResourceType;
  /** The resource name, a name prefix with `PREFIXED`, or `kafka-cluster` for the cluster. */
  readonly resourceName: string;
  /** `LITERAL` (default) or `PREFIXED`. */
  readonly patternType?: 'LITERAL' | 'PREFIXED';
  readonly operation: AclOperation;
  /** `ALLOW` (default) or `DENY` (a deny wins over every allow). */
  readonly permission?: 'ALLOW' | 'DENY';
  /** Host the principal connects from; default `*`. */
  readonly host?: string;
}

/** What a Kafka Streams application reads and writes, for {@link streamsApplicationAcls}. */
export interface StreamsApplicationAccess {
  /** The SASL user the application connects as. */
  readonly user: string;
  readonly applicationId: string;
  readonly inputTopics: readonly string[];
  readonly outputTopics: readonly string[];
  /** Add the transactional-id ACLs exactly-once needs (default false). */
  readonly exactlyOnce?: boolean;
}

const resourceTypes = { TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5 } as const;
const operations = { ALL: 2, READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8, DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12 } as const;
const patternTypes = { LITERAL: 3, PREFIXED: 4 } as const;
const permissions = { DENY: 2, ALLOW: 3 } as const;

/**
 * The ACLs Kafka Streams documents for an application (its "Required ACL setting for secure
 * Kafka clusters"): READ on each input topic, WRITE on each output topic, ALL on topics and
 * groups whose name starts with the application id (the internal topics it creates, reads,
 * writes and deletes, and its consumer group), and under exactly-once WRITE and DESCRIBE on
 * transactional ids prefixed by the application id. IDEMPOTENT_WRITE on the cluster is implied
 * by WRITE on any topic since Kafka 2.8, so it is not listed.
 */
export function streamsApplicationAcls(access: StreamsApplicationAccess): AclEntry[] {
  const { user, applicationId } = access;
  const prefixed = (resourceType: AclResourceType, operation: AclOperation): AclEntry => ({ principal: user, resourceType, resourceName: applicationId, patternType: 'PREFIXED', operation });
  return [
    ...access.inputTopics.map((topic): AclEntry => ({ principal: user, resourceType: 'TOPIC', resourceName: topic, operation: 'READ' })),
    ...access.outputTopics.map((topic): AclEntry => ({ principal: user, resourceType: 'TOPIC', resourceName: topic, operation: 'WRITE' })),
    prefixed('TOPIC', 'ALL'),
    prefixed('GROUP', 'ALL'),
    ...(access.exactlyOnce === true ? [prefixed('TRANSACTIONAL_ID', 'WRITE'), prefixed('TRANSACTIONAL_ID', 'DESCRIBE')] : []),
  ];
}

/** A principal in Kafka's `Type:name` form (`User:app` for a bare user name). */
export function principalOf(entry: Pick<AclEntry, 'principal'>): string {
  return entry.principal.includes(':') ? entry.principal : `User:${entry.principal}`;
}

/** The entry in kafkajs' `createAcls` shape (its numeric enums). */
export function toKafkajsAcl(entry: AclEntry) {
  return {
    resourceType: resourceTypes[entry.resourceType],
    resourceName: entry.resourceType === 'CLUSTER' ? 'kafka-cluster' : entry.resourceName,
    resourcePatternType: patternTypes[entry.patternType ?? 'LITERAL'],
    principal: principalOf(entry),
    host: entry.host ?? '*',
    operation: operations[entry.operation],
    permissionType: permissions[entry.permission ?? 'ALLOW'],
  };
}

/** One line per entry, as `kafka-acls --list` would say it; for logs and error messages. */
export function describeAcl(entry: AclEntry): string {
  const pattern = entry.patternType === 'PREFIXED' ? ' (prefix)' : '';
  return `${principalOf(entry)} ${entry.permission ?? 'ALLOW'} ${entry.operation} on ${entry.resourceType} ${entry.resourceName}${pattern}`;
}
