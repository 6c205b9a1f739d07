import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StateRestoreListener } from '@kstreams/changelog';
import type { AclEntry } from '@kstreams/kafka-broker';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, AuthorizationError, classifySecurityError } from './auth-errors.js';
import { uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import { capturingLogger, startSecuredCluster, USERS, type SecuredTestCluster } from './internal/testing/secured-cluster.js';
import { wordCountTopology } from './internal/testing/word-count-topology.js';
import { explainCoordinatorFailure } from './kafka/coordinator-authorization.js';
import { KafkaStreams } from './kafka-streams.js';
import type { StreamsConfigOptions } from './streams-config.js';

let secured: SecuredTestCluster;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  secured = await startSecuredCluster();
}, 180_000);

afterAll(async () => {
  await secured?.close();
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** Topics and ids of one word-count application. */
async function wordCountApp(prefix: string, partitions = 1) {
  const applicationId = uniqueName(prefix);
  const input = uniqueName(`${prefix}-lines`);
  const output = uniqueName(`${prefix}-counts`);
  await secured.createTopics([input, output], partitions);
  return { applicationId, input, output, changelog: `${applicationId}-counts-changelog` };
}

function startStreams(app: { applicationId: string; input: string; output: string }, options: Partial<StreamsConfigOptions>): KafkaStreams {
  // A capturing logger by default keeps the expected failures off the test output.
  // Each instance its own state directory: the process lock refuses two instances sharing one.
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-secured-'));
  const streams = new KafkaStreams(wordCountTopology(app.input, app.output), { applicationId: app.applicationId, bootstrapServers: [], commitIntervalMs: 100, logger: capturingLogger(), stateDir, ...options });
  cleanups.push(() => streams.close({ timeoutMs: 20_000 }).finally(() => rmSync(stateDir, { recursive: true, force: true })));
  return streams;
}

/** Lines go to partition 0: the word count has no repartition step, so one task sees every word. */
async function produceLines(topic: string, lines: string[]): Promise<void> {
  await secured.producer.send({ topic, acks: -1, messages: lines.map((line, index) => ({ key: `line-${index}`, value: line, partition: 0 })) });
}

/** The latest count per word in `topic`, read as the admin; waits until `expected` is reached. */
async function waitForCounts(topic: string, expected: { [word: string]: number }): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const consumer = secured.kafka.consumer({ groupId: uniqueName('reader'), allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void counts.set(message.key!.toString(), Number(message.value!.readBigInt64BE())) });
    await waitUntil(() => Object.entries(expected).every(([word, count]) => counts.get(word) === count), `the counts reach ${JSON.stringify(expected)}`, 90_000).catch((error: Error) => {
      throw new Error(`${error.message} Counts read: ${JSON.stringify(Object.fromEntries(counts))}`);
    });
  } finally {
    await consumer.disconnect();
  }
  return counts;
}

/** The error `start()` rejects with, or the fatal one the uncaught exception handler hears, whichever comes first. */
async function failureOf(streams: KafkaStreams): Promise<unknown> {
  let reported: unknown;
  streams.setUncaughtExceptionHandler((error) => {
    reported = error;
    return 'REPLACE_THREAD';
  });
  const started = await streams.start().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (started !== undefined) return started;
  await waitUntil(() => reported !== undefined, 'the instance reports a fatal error', 60_000);
  return reported;
}

/**
 * Starts the word count as the restricted user with READ on its input, WRITE on its output and
 * `extra` (one of the two prefixed ACLs Kafka Streams needs, so the other is missing).
 */
async function startRestricted(app: { applicationId: string; input: string; output: string }, extra: Omit<AclEntry, 'principal'>) {
  const principal = USERS.restricted.name;
  await secured.cluster.createAcls([
    { principal, resourceType: 'TOPIC', resourceName: app.input, operation: 'READ' },
    { principal, resourceType: 'TOPIC', resourceName: app.output, operation: 'WRITE' },
    { principal, ...extra },
  ]);
  const streams = startStreams(app, secured.streamsOptions(USERS.restricted));
  return { streams, error: await failureOf(streams) };
}

describe('KafkaStreams on a secured cluster (SASL_SSL, SCRAM-SHA-512, ACLs)', () => {
  it('runs the word count end to end with exactly the ACLs Kafka Streams documents, and logs no password', async () => {
    const app = await wordCountApp('wc');
    await secured.grantStreamsAcls(USERS.app, { applicationId: app.applicationId, inputTopics: [app.input], outputTopics: [app.output] });
    const logger = capturingLogger();
    const streams = startStreams(app, { ...secured.streamsOptions(USERS.app), logger });
    await streams.start();
    await produceLines(app.input, ['the cat', 'the dog', 'The end']);
    await waitForCounts(app.output, { the: 3, cat: 1, dog: 1, end: 1 });
    expect(await streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(logger.text()).toContain('State transition from REBALANCING to RUNNING');
    expect(logger.text()).toContain('Joined generation');
    expect(logger.text()).not.toContain(USERS.app.password);
  }, 180_000);

  it('runs exactly-once over SASL_SSL with the documented exactly-once ACLs (transactional ids by prefix), and logs no password', async () => {
    const app = await wordCountApp('wc-eos');
    await secured.grantStreamsAcls(USERS.app, { applicationId: app.applicationId, inputTopics: [app.input], outputTopics: [app.output], exactlyOnce: true });
    const logger = capturingLogger();
    const streams = startStreams(app, { ...secured.streamsOptions(USERS.app), logger, processingGuarantee: 'exactly_once_v2' });
    await streams.start();
    await produceLines(app.input, ['the cat', 'the dog', 'The end']);
    await waitForCounts(app.output, { the: 3, cat: 1, dog: 1, end: 1 });
    expect(await streams.close({ timeoutMs: 20_000 })).toBe(true);
    expect(logger.text()).toContain('State transition from REBALANCING to RUNNING');
    expect(logger.text()).not.toContain(USERS.app.password);
  }, 180_000);

  it('restores from the changelog and keeps a standby replica, all over the secured listener', async () => {
    const app = await wordCountApp('wc-restore', 2);
    await secured.grantStreamsAcls(USERS.app, { applicationId: app.applicationId, inputTopics: [app.input], outputTopics: [app.output] });
    const options = { ...secured.streamsOptions(USERS.app), numStandbyReplicas: 1 };
    const first = startStreams(app, options);
    const second = startStreams(app, options);
    await Promise.all([first.start(), second.start()]);
    const thread = (streams: KafkaStreams) => streams.localThreadsMetadata()[0]!;
    await waitUntil(() => thread(first).activeTasks.length === 1 && thread(second).standbyTasks.length === 1 && first.state() === 'RUNNING' && second.state() === 'RUNNING', 'one active and one standby task each', 90_000);
    await produceLines(app.input, ['alpha beta', 'alpha gamma', 'beta alpha']);
    await waitForCounts(app.output, { alpha: 3, beta: 2, gamma: 1 });
    // The instance running task 0_0 leaves; the other one's standby copy takes over and counts on.
    const [leaving, staying] = thread(first).activeTasks[0]!.taskId === '0_0' ? [first, second] : [second, first];
    expect(thread(staying).standbyTasks).toEqual(['0_0']);
    expect(await leaving.close({ timeoutMs: 20_000 })).toBe(true);
    await waitUntil(() => thread(staying).activeTasks.length === 2 && staying.state() === 'RUNNING', 'the survivor runs both tasks', 90_000);
    await produceLines(app.input, ['alpha beta gamma']);
    await waitForCounts(app.output, { alpha: 4, beta: 3, gamma: 2 });
    expect(await staying.close({ timeoutMs: 20_000 })).toBe(true);
    // A fresh instance (in-memory stores, nothing local) restores every store from its changelog.
    let restored = 0;
    const listener: StateRestoreListener = { onBatchRestored: (_partition, _store, _end, count) => void (restored += count) };
    const third = startStreams(app, options);
    third.setGlobalStateRestoreListener(listener);
    await third.start();
    await produceLines(app.input, ['gamma']);
    await waitForCounts(app.output, { alpha: 4, beta: 3, gamma: 3 });
    expect(restored).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('stops with an AuthenticationError on a wrong password, logging neither password', async () => {
    const app = await wordCountApp('wc-badpw');
    const logger = capturingLogger();
    const wrong = 'not-the-Password-42';
    const streams = startStreams(app, { ...secured.streamsOptions(USERS.app, wrong), logger });
    const error = await streams.start().then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/^SASL authentication failed for user "app" with mechanism SCRAM-SHA-512\./);
    expect(streams.state()).toBe('ERROR');
    expect(logger.text()).toContain('Startup failed');
    expect(logger.text()).not.toContain(wrong);
    expect(logger.text()).not.toContain(USERS.app.password);
  }, 120_000);

  it('stops with a TOPIC_AUTHORIZATION_FAILED error naming the changelog topic when its ACL is missing', async () => {
    const app = await wordCountApp('wc-nochangelog');
    const { streams, error } = await startRestricted(app, { resourceType: 'GROUP', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'ALL' });
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: 'TOPIC_AUTHORIZATION_FAILED', resourceType: 'TOPIC', resourceNames: [app.changelog] });
    expect((error as Error).message).toContain(`topic "${app.changelog}"`);
    expect((error as Error).message).toContain(`User "restricted" needs ALL on TOPIC prefixed "${app.applicationId}"`);
    await waitUntil(() => streams.state() === 'ERROR', 'the instance is in ERROR');
  }, 120_000);

  it('stops with a GROUP_AUTHORIZATION_FAILED error naming the group when the group ACL is missing', async () => {
    const app = await wordCountApp('wc-nogroup');
    const { streams, error } = await startRestricted(app, { resourceType: 'TOPIC', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'ALL' });
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: 'GROUP_AUTHORIZATION_FAILED', resourceType: 'GROUP', resourceNames: [app.applicationId] });
    expect((error as Error).message).toContain(`User "restricted" needs READ and DESCRIBE on GROUP "${app.applicationId}"`);
    // REPLACE_THREAD is overridden: a missing ACL stops the instance instead of looping.
    await waitUntil(() => streams.state() === 'ERROR', 'the instance is in ERROR');
  }, 120_000);

  it('stops with a TOPIC_AUTHORIZATION_FAILED error naming the output topic when WRITE on it is missing, whatever the production handler says', async () => {
    const app = await wordCountApp('wc-nowrite');
    const principal = USERS.restricted.name;
    await secured.cluster.createAcls([
      { principal, resourceType: 'TOPIC', resourceName: app.input, operation: 'READ' },
      { principal, resourceType: 'TOPIC', resourceName: app.output, operation: 'DESCRIBE' },
      { principal, resourceType: 'TOPIC', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'ALL' },
      { principal, resourceType: 'GROUP', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'ALL' },
    ]);
    const streams = startStreams(app, { ...secured.streamsOptions(USERS.restricted), productionExceptionHandler: { handle: () => 'CONTINUE' } });
    await produceLines(app.input, ['refused words']);
    const error = await failureOf(streams);
    expect(error).toBeInstanceOf(AuthorizationError);
    // One produce request carried the changelog and the output records; kafkajs does not say which topic was refused.
    expect(error).toMatchObject({ code: 'TOPIC_AUTHORIZATION_FAILED' });
    expect((error as AuthorizationError).resourceNames).toContain(app.output);
    expect((error as Error).message).toMatch(/^Not authorized to access (topic|one of the topics) /);
    expect((error as Error).message).toContain(`WRITE on TOPIC "${app.output}" (output)`);
    await waitUntil(() => streams.state() === 'ERROR', 'the instance is in ERROR');
  }, 120_000);

  it('maps a transactional producer without the transactional-id ACL to TRANSACTIONAL_ID_AUTHORIZATION_FAILED, and the exactly-once ACLs let it commit', async () => {
    const app = await wordCountApp('wc-eos');
    const transactionalId = `${app.applicationId}-0_0`;
    await secured.grantStreamsAcls(USERS.restricted, { applicationId: app.applicationId, inputTopics: [app.input], outputTopics: [app.output] });
    const options = secured.streamsOptions(USERS.restricted);
    const { Kafka, logLevel } = await import('kafkajs');
    const kafka = new Kafka({ brokers: [...(options.bootstrapServers as string[])], ssl: { ca: [secured.cluster.caPem!] }, sasl: options.sasl as never, logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    const refused = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    cleanups.push(() => refused.disconnect());
    const failure = await refused.connect().then(async () => {
      const transaction = await refused.transaction();
      await transaction.send({ topic: app.output, messages: [{ value: 'x' }] });
      await transaction.commit();
    }).then(() => undefined, (error: unknown) => error);
    // kafkajs reports the refused coordinator lookup as a bare "Failed to find group coordinator": ask the broker why.
    const explained = await explainCoordinatorFailure(failure, kafka, { transactionalId });
    const error = classifySecurityError(explained, { applicationId: app.applicationId, username: USERS.restricted.name, transactionalId });
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', resourceNames: [transactionalId] });
    expect(error?.message).toContain(`User "restricted" needs WRITE and DESCRIBE on TRANSACTIONAL_ID prefixed "${app.applicationId}"`);

    await secured.cluster.createAcls([
      { principal: USERS.restricted.name, resourceType: 'TRANSACTIONAL_ID', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'WRITE' },
      { principal: USERS.restricted.name, resourceType: 'TRANSACTIONAL_ID', resourceName: app.applicationId, patternType: 'PREFIXED', operation: 'DESCRIBE' },
    ]);
    // ACLs reach the broker's authorizer through the metadata log, a moment after createAcls returns.
    const patient = new Kafka({ brokers: [...(options.bootstrapServers as string[])], ssl: { ca: [secured.cluster.caPem!] }, sasl: options.sasl as never, logLevel: logLevel.NOTHING });
    const allowed = patient.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    cleanups.push(() => allowed.disconnect());
    await allowed.connect();
    const transaction = await allowed.transaction();
    await transaction.send({ topic: app.output, messages: [{ key: 'eos', value: Buffer.alloc(8) }] });
    await transaction.commit();
    await waitForCounts(app.output, { eos: 0 });
  }, 120_000);
});
