import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, AuthorizationError, classifySecurityError, isSecurityError, type SecurityErrorContext } from './auth-errors.js';

type ErrorClass<Args extends unknown[]> = new (...args: Args) => Error;
// kafkajs exports these classes at runtime; its type declarations list only some of them.
const { KafkaJSAggregateError, KafkaJSCreateTopicError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } = kafkajs as unknown as {
  KafkaJSAggregateError: ErrorClass<[string, Error[]]>;
  KafkaJSCreateTopicError: ErrorClass<[Error, string]>;
  KafkaJSNumberOfRetriesExceeded: ErrorClass<[Error, { retryCount: number; retryTime: number }]>;
  KafkaJSProtocolError: ErrorClass<[unknown]>;
  KafkaJSSASLAuthenticationError: ErrorClass<[string]>;
};

const context: SecurityErrorContext = {
  applicationId: 'wc',
  username: 'app',
  mechanism: 'scram-sha-512',
  inputTopics: ['lines'],
  outputTopics: ['counts'],
  topics: ['lines', 'counts', 'wc-counts-changelog'],
};

/** A protocol error as kafkajs builds it from a broker error code. */
function protocolError(type: string): Error {
  return new KafkaJSProtocolError({ type, code: 0, retriable: false, message: `${type} from the broker` });
}

describe('classifySecurityError', () => {
  it('turns a failed SASL login into an AuthenticationError naming the user and mechanism', () => {
    const error = classifySecurityError(new KafkaJSSASLAuthenticationError('SASL SCRAM SHA512 authentication failed: invalid credentials'), context);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error?.message).toMatch(/^SASL authentication failed for user "app" with mechanism SCRAM-SHA-512\. Broker said: .*invalid credentials\. Check sasl.username and sasl.password/);
    expect(error?.retriable).toBe(false);
  });

  it('names the changelog topic a CreateTopics response refused, and the prefixed ACL it needs', () => {
    const refused = new KafkaJSCreateTopicError(protocolError('TOPIC_AUTHORIZATION_FAILED'), 'wc-counts-changelog');
    const error = classifySecurityError(new KafkaJSAggregateError('Topic creation errors', [refused]), { ...context, operation: 'creating internal topics' });
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: 'TOPIC_AUTHORIZATION_FAILED', resourceType: 'TOPIC', resourceNames: ['wc-counts-changelog'] });
    expect(error?.message).toBe(
      'Not authorized to access topic "wc-counts-changelog" (TOPIC_AUTHORIZATION_FAILED) while creating internal topics. User "app" needs ALL on TOPIC prefixed "wc" ' +
        '(internal topic "wc-counts-changelog": CREATE, READ, WRITE, DESCRIBE, DELETE). Grant it (kafka-acls --add) and restart; the instance stops instead of retrying.',
    );
  });

  it('says "one of the topics" when the broker did not name the topic', () => {
    const error = classifySecurityError(new KafkaJSNumberOfRetriesExceeded(protocolError('TOPIC_AUTHORIZATION_FAILED'), { retryCount: 5, retryTime: 100 }), context);
    expect(error?.message).toMatch(/^Not authorized to access one of the topics "lines", "counts", "wc-counts-changelog" \(TOPIC_AUTHORIZATION_FAILED\)\. User "app" needs READ on TOPIC "lines" \(input\); WRITE on TOPIC "counts" \(output\); ALL on TOPIC prefixed "wc"/);
  });

  it('names the group and the transactional id with the ACLs Kafka Streams documents', () => {
    const group = classifySecurityError(protocolError('GROUP_AUTHORIZATION_FAILED'), context);
    expect(group).toMatchObject({ resourceType: 'GROUP', resourceNames: ['wc'] });
    expect(group?.message).toMatch(/group "wc" \(GROUP_AUTHORIZATION_FAILED\)\. User "app" needs READ and DESCRIBE on GROUP "wc"/);
    const transactional = classifySecurityError(protocolError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'), { ...context, transactionalId: 'wc-0_1' });
    expect(transactional).toMatchObject({ resourceType: 'TRANSACTIONAL_ID', resourceNames: ['wc-0_1'] });
    expect(transactional?.message).toMatch(/transactional id "wc-0_1" \(TRANSACTIONAL_ID_AUTHORIZATION_FAILED\)\. User "app" needs WRITE and DESCRIBE on TRANSACTIONAL_ID prefixed "wc" \(exactly-once\)/);
  });

  it('finds the failure behind a cause chain and leaves other errors alone', () => {
    const wrapped = new Error('commit failed', { cause: protocolError('GROUP_AUTHORIZATION_FAILED') });
    expect(classifySecurityError(wrapped, context)).toBeInstanceOf(AuthorizationError);
    expect(classifySecurityError(protocolError('NOT_COORDINATOR'), context)).toBeUndefined();
    expect(classifySecurityError(new Error('boom'), context)).toBeUndefined();
    expect(classifySecurityError('text', context)).toBeUndefined();
  });

  it('takes the topic from a wrapper that names what it sent', () => {
    const wrapper = Object.assign(new Error('send refused', { cause: protocolError('TOPIC_AUTHORIZATION_FAILED') }), { topic: 'counts' });
    expect(classifySecurityError(wrapper, context)?.message).toMatch(/^Not authorized to access topic "counts" \(TOPIC_AUTHORIZATION_FAILED\)\. User "app" needs WRITE on TOPIC "counts" \(output\)/);
  });

  it('says "one of the topics" for a wrapper listing every topic of a refused request', () => {
    const wrapper = Object.assign(new Error('send refused', { cause: protocolError('TOPIC_AUTHORIZATION_FAILED') }), { topics: ['wc-counts-changelog', 'counts'] });
    expect(classifySecurityError(wrapper, context)?.message).toMatch(/^Not authorized to access one of the topics "wc-counts-changelog", "counts" \(TOPIC_AUTHORIZATION_FAILED\)\. User "app" needs ALL on TOPIC prefixed "wc" .*; WRITE on TOPIC "counts" \(output\)\./);
  });

  it("reads @kstreams/kafka-protocol's errorName as well as kafkajs' type", () => {
    const error = Object.assign(new Error('InitProducerId failed with TRANSACTIONAL_ID_AUTHORIZATION_FAILED'), { errorName: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' });
    expect(classifySecurityError(error, { ...context, transactionalId: 'wc-0_1' })).toMatchObject({ code: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', resourceNames: ['wc-0_1'] });
  });

  it('returns an already classified error unchanged', () => {
    const error = classifySecurityError(protocolError('CLUSTER_AUTHORIZATION_FAILED'), context);
    expect(classifySecurityError(error, context)).toBe(error);
    expect(isSecurityError(error)).toBe(true);
    expect(isSecurityError(new Error('x'))).toBe(false);
  });
});
