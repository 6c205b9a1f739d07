import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { GroupCoordinatorClient, createPrivateCluster, type KafkaStreams } from '@kstreams/runtime';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { committedOffsets, copyTopology, countTopology, kafkaTools, testStreams, waitUntil, type ReadRecord } from './internal/testing/reset-test-apps.js';
import { resetApplication } from './reset-application.js';
import { runResetCli } from './reset-cli.js';
import { ApplicationRunningError } from './reset-errors.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
const KEYS = ['a', 'b', 'c', 'd', 'e'];
const RECORDS = 60;

/** Runs the count app until it has written `expected` records to `output`, and returns them in order per partition. */
async function runCountApp(streams: KafkaStreams, tools: Awaited<ReturnType<typeof kafkaTools>>, output: string, expected: number): Promise<ReadRecord[]> {
  cleanups.push(() => rm(streams.config.stateDir, { recursive: true, force: true }), () => streams.close({ timeoutMs: 20_000 }));
  await streams.start();
  const reader = await tools.read(output);
  cleanups.push(reader.close);
  await waitUntil(() => reader.records.length >= expected, `${expected} counts are written to ${output}`);
  return reader.records;
}

/** The output as `partition:key=count` strings, sorted: two tasks write into one output partition, so only their interleaving may differ between runs. */
function countsByPartition(records: readonly ReadRecord[]): string[] {
  return records.map((record) => `${record.partition}:${record.key}=${record.value}`).sort();
}

describe('resetApplication on a real broker', () => {
  it('refuses while the app runs, changes nothing in a dry run, then resets so a rerun reproduces the output', async () => {
    const applicationId = uniqueTopicName('reset-count');
    const input = uniqueTopicName('reset-in');
    const firstOutput = uniqueTopicName('reset-out-1');
    const secondOutput = uniqueTopicName('reset-out-2');
    const changelog = `${applicationId}-counts-changelog`;
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [input, firstOutput, secondOutput].map((topic) => ({ topic, numPartitions: 2 })) });
    await tools.producer.send({ topic: input, messages: Array.from({ length: RECORDS }, (_, index) => ({ key: KEYS[index % KEYS.length]!, value: `v${index}`, partition: index % 2 })) });

    const first = testStreams(countTopology(input, firstOutput), applicationId);
    const firstRun = await runCountApp(first, tools, firstOutput, RECORDS);
    await waitUntil(async () => (await committedOffsets(tools.admin, applicationId, input)).join() === '30,30', 'the app commits the whole input');

    const options = { applicationId, bootstrapServers: testBrokers(), inputTopics: [input] };
    await expect(resetApplication(options)).rejects.toThrow(ApplicationRunningError);
    const refused = await runCli('--bootstrap-server', testBrokers().join(','), '--application-id', applicationId, '--input-topics', input);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(new RegExp(`Consumer group "${applicationId}" still has 1 active member`));

    expect(await first.close({ timeoutMs: 20_000 })).toBe(true);
    const dryRun = await runCli('--bootstrap-server', testBrokers().join(','), '--application-id', applicationId, '--input-topics', input, '--dry-run');
    expect(dryRun.code, dryRun.err.join('\n')).toBe(0);
    expect(dryRun.out).toEqual(expect.arrayContaining([
      `Would reset input topic ${input} partition 0 offset 30 -> 0`,
      `Would reset input topic ${input} partition 1 offset 30 -> 0`,
      `Would delete internal topic ${changelog}`,
    ]));
    expect(await committedOffsets(tools.admin, applicationId, input)).toEqual([30, 30]);
    expect(await tools.admin.listTopics()).toContain(changelog);

    const report = await resetApplication(options);
    expect(report.inputOffsets.map(({ partition, offset, previous }) => [partition, offset, previous])).toEqual([[0, 0, 30], [1, 0, 30]]);
    expect(report.deletedTopics).toEqual([changelog]);
    expect(await committedOffsets(tools.admin, applicationId, input)).toEqual([0, 0]);
    expect(await tools.admin.listTopics()).not.toContain(changelog);

    // The same application (same id, same store) after cleanUp(): the counts start from zero again.
    await first.cleanUp();
    const second = testStreams(countTopology(input, secondOutput), applicationId, first.config.stateDir);
    const secondRun = await runCountApp(second, tools, secondOutput, RECORDS);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(countsByPartition(secondRun)).toEqual(countsByPartition(firstRun));
    // Each input partition's task counts on its own: every key reaches 6 twice, never 7+ (which a kept changelog would give).
    const countsOfA = secondRun.filter((record) => record.key === 'a').map((record) => Number(record.value)).sort((left, right) => left - right);
    expect(countsOfA).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it('reprocesses only the records from --to-datetime on', async () => {
    const applicationId = uniqueTopicName('reset-time');
    const input = uniqueTopicName('reset-time-in');
    const output = uniqueTopicName('reset-time-out');
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 1 })) });
    const start = Date.UTC(2026, 0, 1);
    // Ten records an hour apart: 00:00 … 09:00 on 2026-01-01.
    await tools.producer.send({ topic: input, messages: Array.from({ length: 10 }, (_, index) => ({ key: 'k', value: `v${index}`, timestamp: String(start + index * 3_600_000) })) });
    const streams = testStreams(countTopology(input, output), applicationId);
    await runCountApp(streams, tools, output, 10);
    await waitUntil(async () => (await committedOffsets(tools.admin, applicationId, input))[0] === 10, 'the app commits the whole input');
    expect(await streams.close({ timeoutMs: 20_000 })).toBe(true);

    const result = await runCli('--bootstrap-server', testBrokers().join(','), '--application-id', applicationId, '--input-topics', input, '--to-datetime', '2026-01-01T06:30:00.000Z');
    expect(result.code, result.err.join('\n')).toBe(0);
    expect(result.out).toContain(`Reset input topic ${input} partition 0 offset 10 -> 7`);
    expect(await committedOffsets(tools.admin, applicationId, input)).toEqual([7]);

    // Partial reprocessing: only 07:00, 08:00 and 09:00 run again, counted from an empty store.
    await streams.cleanUp();
    const rerun = testStreams(countTopology(input, output), applicationId, streams.config.stateDir);
    const records = await runCountApp(rerun, tools, output, 13);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(records.slice(10).map((record) => [record.value, record.timestamp])).toEqual([['1', start + 7 * 3_600_000], ['2', start + 8 * 3_600_000], ['3', start + 9 * 3_600_000]]);
  });
});

async function runCli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runResetCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('resetApplication for a new application id', () => {
  it('gives a group that never ran its starting offsets, so a new version replays from a point in time', async () => {
    const applicationId = uniqueTopicName('reset-new');
    const input = uniqueTopicName('reset-new-in');
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }] });
    const start = Date.UTC(2026, 0, 1);
    await tools.producer.send({ topic: input, messages: Array.from({ length: 8 }, (_, index) => ({ value: `v${index}`, partition: index % 2, timestamp: String(start + index * 60_000) })) });
    const report = await resetApplication({ applicationId, bootstrapServers: testBrokers(), inputTopics: [input], resetTo: { type: 'to-datetime', timestamp: start + 4 * 60_000 } });
    // Partition 0 holds minutes 0, 2, 4, 6 and partition 1 minutes 1, 3, 5, 7: from minute 4 on, offsets 2 and 2.
    expect(report.inputOffsets.map(({ partition, offset, previous }) => [partition, offset, previous])).toEqual([[0, 2, -1], [1, 2, -1]]);
    expect(await committedOffsets(tools.admin, applicationId, input)).toEqual([2, 2]);
  });
});

describe('resetApplication --force', () => {
  it('removes a member left behind by a crashed instance, then resets', async () => {
    const applicationId = uniqueTopicName('reset-force');
    const input = uniqueTopicName('reset-force-in');
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }] });
    await tools.producer.send({ topic: input, messages: [{ value: 'x' }, { value: 'y' }] });
    // A member that joins and then stops heartbeating, as a killed instance with a long session timeout.
    const kafka = new Kafka({ clientId: 'crashed-instance', brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const cluster = createPrivateCluster(kafka);
    await cluster.connect();
    cleanups.push(() => cluster.disconnect());
    const group = new GroupCoordinatorClient(cluster, applicationId);
    const metadata = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [input], userData: Buffer.alloc(0) });
    const joined = await group.joinGroup({ memberId: '', groupInstanceId: null, sessionTimeoutMs: 300_000, rebalanceTimeoutMs: 10_000, protocols: [{ name: 'stream', metadata }] });
    await group.syncGroup({ generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null }, []);

    const args = ['--bootstrap-server', testBrokers().join(','), '--application-id', applicationId, '--input-topics', input, '--to-latest'];
    const refused = await runCli(...args);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toContain(joined.memberId);

    const forced = await runCli(...args, '--force');
    expect(forced.code, forced.err.join('\n')).toBe(0);
    expect(forced.out.filter((line) => line.startsWith(`Removed member ${joined.memberId} (client crashed-instance on `))).toHaveLength(1);
    expect((await tools.admin.describeGroups([applicationId])).groups[0]?.members).toEqual([]);
    expect(await committedOffsets(tools.admin, applicationId, input)).toEqual([2]);
  });
  it('removes the member a closed instance with static membership keeps in the group', async () => {
    const applicationId = uniqueTopicName('reset-static');
    const input = uniqueTopicName('reset-static-in');
    const output = uniqueTopicName('reset-static-out');
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 1 })) });
    // A static member (group.instance.id) does not leave on close: it keeps its place for the session timeout.
    const streams = testStreams(copyTopology(input, output), applicationId, undefined, { groupInstanceId: 'instance-a', consumer: { sessionTimeout: 120_000 } });
    cleanups.push(() => rm(streams.config.stateDir, { recursive: true, force: true }));
    await streams.start();
    await waitUntil(() => streams.state() === 'RUNNING', 'the instance runs');
    expect(await streams.close({ timeoutMs: 20_000 })).toBe(true);
    const [left] = (await tools.admin.describeGroups([applicationId])).groups[0]?.members ?? [];
    expect(left?.memberId).toMatch(/^instance-a-1-/);

    await expect(resetApplication({ applicationId, bootstrapServers: testBrokers(), inputTopics: [input] })).rejects.toThrow(ApplicationRunningError);
    const report = await resetApplication({ applicationId, bootstrapServers: testBrokers(), inputTopics: [input], force: true });
    expect(report.removedMembers.map((member) => member.memberId)).toEqual([left?.memberId]);
    expect((await tools.admin.describeGroups([applicationId])).groups[0]?.members).toEqual([]);
  });
});

describe('the kstreams-reset bin', () => {
  it('runs as its own process and prints the dry-run plan', async () => {
    const applicationId = uniqueTopicName('reset-bin');
    const input = uniqueTopicName('reset-bin-in');
    const tools = await kafkaTools();
    cleanups.push(tools.close);
    await tools.admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: `${applicationId}-store-changelog`, numPartitions: 1 }] });
    const { code, stdout, stderr } = await binary('--bootstrap-server', testBrokers().join(','), '--application-id', applicationId, '--input-topics', input, '--dry-run');
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining([`Would reset input topic ${input} partition 0 offset none -> 0`, `Would delete internal topic ${applicationId}-store-changelog`]));
    expect(await tools.admin.listTopics()).toContain(`${applicationId}-store-changelog`);
    const bad = await binary('--application-id', applicationId, '--to-offset', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to-offset needs an integer of at least 0, not "soon"');
  });
});

/** Runs src/cli.ts through tsx in a child process, as `npx kstreams-reset` would run dist/cli.js. */
function binary(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/cli.ts', ...args], { cwd: packageDirectory, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}
