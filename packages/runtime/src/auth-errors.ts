import { StreamsError, type StreamsErrorOptions } from '@kstreams/core';

/** The kind of resource an authorization failure is about (Kafka's ACL resource types). */
export type AuthorizationResource = 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID' | 'CLUSTER';

/**
 * The cluster rejected the client's login (SASL authentication failed: wrong password, unknown
 * user, a mechanism the listener does not enable). Retrying cannot help; the instance stops.
 */
export class AuthenticationError extends StreamsError {
  constructor(
    message: string,
    readonly username: string | undefined,
    readonly mechanism: string | undefined,
    options: StreamsErrorOptions = {},
  ) {
    super(message, { ...options, retriable: false });
  }
}

/**
 * The cluster refused an operation for lack of an ACL: `code` is Kafka's error
 * (`TOPIC_AUTHORIZATION_FAILED`, ...), `resourceNames` what was refused (empty when the broker
 * did not say), `requiredAcl` what to grant. Retrying cannot help; the instance stops.
 */
export class AuthorizationError extends StreamsError {
  constructor(
    message: string,
    readonly code: string,
    readonly resourceType: AuthorizationResource,
    readonly resourceNames: readonly string[],
    readonly requiredAcl: string,
    options: StreamsErrorOptions = {},
  ) {
    super(message, { ...options, retriable: false });
  }
}

/** What the runtime knows about the failed operation, to name the resource and the ACL to grant. */
export interface SecurityErrorContext {
  readonly applicationId: string;
  /** The SASL user and mechanism the client logs in with, if any. */
  readonly username?: string | undefined;
  readonly mechanism?: string | undefined;
  readonly inputTopics?: readonly string[];
  readonly outputTopics?: readonly string[];
  /** Topics the failed operation touched, when the error itself names none. */
  readonly topics?: readonly string[];
  readonly transactionalId?: string;
  /** What the runtime was doing, e.g. `creating internal topics` (goes into the message). */
  readonly operation?: string;
}

const AUTHORIZATION_CODES: { readonly [code: string]: AuthorizationResource } = {
  TOPIC_AUTHORIZATION_FAILED: 'TOPIC',
  GROUP_AUTHORIZATION_FAILED: 'GROUP',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'TRANSACTIONAL_ID',
  CLUSTER_AUTHORIZATION_FAILED: 'CLUSTER',
};
const AUTHENTICATION_CODES = new Set(['SASL_AUTHENTICATION_FAILED', 'UNSUPPORTED_SASL_MECHANISM', 'ILLEGAL_SASL_STATE']);

interface Found {
  readonly error: { readonly message?: unknown; readonly type?: unknown; readonly errorName?: unknown; readonly name?: unknown; readonly topic?: unknown; readonly topics?: unknown };
  readonly topics: string[];
  /** True when the broker named the topics itself (per-topic errors), false when a wrapper lists what it sent. */
  readonly named: boolean;
}

/**
 * Turns a kafkajs authentication or authorization failure (anywhere in the error's cause
 * chain, retry wrappers and aggregate errors included) into an {@link AuthenticationError} or
 * {@link AuthorizationError} that names the user, the resource and the ACL to grant; returns
 * `undefined` for any other error. The stream thread and `KafkaStreams` call it where errors
 * reach them, and stop the instance on a result instead of retrying.
 */
export function classifySecurityError(error: unknown, context: SecurityErrorContext): AuthenticationError | AuthorizationError | undefined {
  if (error instanceof AuthenticationError || error instanceof AuthorizationError) return error;
  const found = findSecurityFailure(error);
  if (found === undefined) return undefined;
  const type = errorType(found.error) ?? '';
  const resource = AUTHORIZATION_CODES[type];
  if (resource === undefined) return authenticationError(found, context, error);
  const names = resourceNames(resource, found.topics, context);
  const requiredAcl = requiredAclFor(resource, names, context);
  const during = context.operation === undefined ? '' : ` while ${context.operation}`;
  const who = context.username === undefined ? 'The client' : `User "${context.username}"`;
  const kind = resource.toLowerCase().replace('_', ' ');
  // A topic the broker did not name is one of those the operation touched.
  const guessed = resource === 'TOPIC' && names.length > 1 && !found.named;
  const quoted = names.map((name) => `"${name}"`).join(', ');
  const what = names.length === 0 ? `a ${kind}` : guessed ? `one of the topics ${quoted}` : `${kind} ${quoted}`;
  const message = `Not authorized to access ${what} (${type})${during}. ${who} needs ${requiredAcl}. Grant it (kafka-acls --add) and restart; the instance stops instead of retrying.`;
  return new AuthorizationError(message, type, resource, names, requiredAcl, { cause: error });
}

/** True when a kafkajs authentication or authorization failure is anywhere in the error's cause chain. */
export function isKafkaSecurityFailure(error: unknown): boolean {
  return findSecurityFailure(error) !== undefined;
}

/** True for the errors {@link classifySecurityError} returns: they must stop the instance, never be retried. */
export function isSecurityError(error: unknown): error is AuthenticationError | AuthorizationError {
  return error instanceof AuthenticationError || error instanceof AuthorizationError;
}

function authenticationError(found: Found, context: SecurityErrorContext, cause: unknown): AuthenticationError {
  const who = context.username === undefined ? 'the client' : `user "${context.username}"`;
  const mechanism = context.mechanism === undefined ? '' : ` with mechanism ${context.mechanism.toUpperCase()}`;
  const reason = typeof found.error.message === 'string' ? ` Broker said: ${found.error.message.replace(/\.?$/, '.')}` : '';
  const message = `SASL authentication failed for ${who}${mechanism}.${reason} Check sasl.username and sasl.password and that the user exists on the cluster for this mechanism; the instance stops instead of retrying.`;
  return new AuthenticationError(message, context.username, context.mechanism, { cause });
}

/** Breadth-first through `cause`, `originalError` and aggregate `errors`; topics named on the way are collected. */
function findSecurityFailure(root: unknown): Found | undefined {
  const queue: unknown[] = [root];
  const seen = new Set<unknown>();
  const topics: string[] = [];
  let match: Found['error'] | undefined;
  let named = false;
  while (queue.length > 0 && seen.size < 50) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as Found['error'] & { cause?: unknown; originalError?: unknown; errors?: unknown };
    if (isSecurityFailure(candidate)) match ??= candidate;
    // The refused topic: on the failure itself (CreateTopics) or on a wrapper naming what it sent.
    const type = errorType(candidate);
    if (type === undefined || (match !== undefined && type === errorType(match))) {
      if (typeof candidate.topic === 'string') topics.push(candidate.topic);
      if (typeof candidate.topic === 'string' && type !== undefined) named = true;
      if (Array.isArray(candidate.topics)) topics.push(...candidate.topics.filter((topic): topic is string => typeof topic === 'string'));
    }
    queue.push(candidate.cause, candidate.originalError, ...(Array.isArray(candidate.errors) ? candidate.errors : []));
  }
  return match === undefined ? undefined : { error: match, topics: [...new Set(topics)], named };
}

function isSecurityFailure(error: Found['error']): boolean {
  if (error.name === 'KafkaJSSASLAuthenticationError') return true;
  const type = errorType(error);
  return type !== undefined && (type in AUTHORIZATION_CODES || AUTHENTICATION_CODES.has(type));
}

/** Kafka's error name: kafkajs' `type`, or `errorName` on @kstreams/kafka-protocol's errors. */
function errorType(error: { readonly type?: unknown; readonly errorName?: unknown }): string | undefined {
  if (typeof error.type === 'string') return error.type;
  return typeof error.errorName === 'string' ? error.errorName : undefined;
}

function resourceNames(resource: AuthorizationResource, topics: readonly string[], context: SecurityErrorContext): string[] {
  if (resource === 'TOPIC') return [...(topics.length > 0 ? topics : (context.topics ?? []))];
  if (resource === 'GROUP') return [context.applicationId];
  if (resource === 'TRANSACTIONAL_ID') return context.transactionalId === undefined ? [] : [context.transactionalId];
  return ['kafka-cluster'];
}

/** The ACL Kafka Streams documents for the refused resource. */
export function requiredAclFor(resource: AuthorizationResource, names: readonly string[], context: SecurityErrorContext): string {
  const prefix = `"${context.applicationId}"`;
  if (resource === 'GROUP') return `READ and DESCRIBE on GROUP "${context.applicationId}" (Kafka Streams grants ALL on groups prefixed ${prefix})`;
  if (resource === 'TRANSACTIONAL_ID') return `WRITE and DESCRIBE on TRANSACTIONAL_ID prefixed ${prefix} (exactly-once)`;
  if (resource === 'CLUSTER') return 'IDEMPOTENT_WRITE on the CLUSTER (implied by WRITE on any topic since Kafka 2.8)';
  const needs = names.map((name) => {
    if (name.startsWith(`${context.applicationId}-`)) return `ALL on TOPIC prefixed ${prefix} (internal topic "${name}": CREATE, READ, WRITE, DESCRIBE, DELETE)`;
    if (context.inputTopics?.includes(name) === true) return `READ on TOPIC "${name}" (input)`;
    if (context.outputTopics?.includes(name) === true) return `WRITE on TOPIC "${name}" (output)`;
    return `access to TOPIC "${name}"`;
  });
  return needs.length === 0 ? `READ on input topics, WRITE on output topics and ALL on TOPIC prefixed ${prefix}` : [...new Set(needs)].join('; ');
}
