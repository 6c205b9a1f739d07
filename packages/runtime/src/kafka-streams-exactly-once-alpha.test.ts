import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger, ProducerFencedError } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from './internal/testing/fake-kafka.js';
import { waitUntil } from './internal/testing/integration-kafka.js';
import { copyTopology } from './internal/testing/word-count-topology.js';
import { KafkaStreams } from './kafka-streams.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function create(fake: FakeKafka, topology: ConstructorParameters<typeof KafkaStreams>[0]) {
  const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-eos-alpha-unit-'));
  const streams = new KafkaStreams(topology, { applicationId: 'app', bootstrapServers: 'fake:9092', processingGuarantee: 'exactly_once', commitIntervalMs: 50, stateDir, logger: noopLogger }, { clientFactory: fake });
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }), () => streams.close({ timeoutMs: 2_000 }));
  await streams.start();
  return streams;
}

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();
const count = (log: readonly string[], line: string): number => log.filter((entry) => entry === line).length;

describe('KafkaStreams under exactly_once (one producer per task, fake Kafka)', () => {
  it('creates one transactional producer per task, <applicationId>-<taskId>, and commits each task in its own transaction with the group id only', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    await create(fake, copyTopology('in', 'out'));
    // No producer before a task exists (none per thread).
    expect(fake.transactionalIds).toEqual([]);
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => fake.transactionalIds.length === 2, 'a producer per task', 2_000);
    expect(fake.transactionalIds.sort()).toEqual(['app-0_0', 'app-0_1']);
    await waitUntil(() => fake.log.includes('txn.init app-0_0') && fake.log.includes('txn.init app-0_1'), 'InitProducerId at task creation', 2_000);
    await fake.deliver('in', 0, ['a', 'b']);
    await fake.deliver('in', 1, ['c']);
    await waitUntil(() => fake.commits.length === 2, 'two task transactions commit', 2_000);
    const offsetsLines = fake.log.filter((line) => line.startsWith('txn.offsets'));
    // Each transaction carries only its task's partition, with generation -1 and no member (fencing is by producer epoch).
    expect(offsetsLines.sort()).toEqual(['txn.offsets in:0@2 generation -1 ', 'txn.offsets in:1@1 generation -1 ']);
    expect(fake.commits.map((commit) => commit.map((offset) => `${offset.partition}@${offset.offset}`)).sort()).toEqual([['0@2'], ['1@1']]);
    expect(fake.committedOutput.map((record) => text(record.value)).sort()).toEqual(['a', 'b', 'c']);
    // Idle: no empty transactions.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(count(fake.log, 'txn.begin')).toBe(2);
  });

  it('closes the producer of a task that moves away and creates a new one (a new epoch) when the task comes back', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    await create(fake, copyTopology('in', 'out'));
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => count(fake.log, 'txn.init app-0_1') === 1, 'producers', 2_000);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => fake.log.includes('txn.close'), 'the moved task closes its producer', 2_000);
    expect(count(fake.log, 'txn.close')).toBe(1);
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => count(fake.log, 'txn.init app-0_1') === 2, 'a new producer for the task that came back', 2_000);
    expect(count(fake.log, 'txn.init app-0_0')).toBe(1);
    await fake.deliver('in', 1, ['x']);
    await waitUntil(() => fake.committedOutput.length === 1, 'the new producer commits', 2_000);
  });

  it('a fenced task producer (a zombie) aborts, its task is recreated with a new producer and the thread rejoins; output is committed once', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const streams = await create(fake, copyTopology('in', 'out'));
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => fake.log.includes('txn.init app-0_0'), 'the task producer', 2_000);
    fake.failNextTransactionCommitWith = new ProducerFencedError('PRODUCER_FENCED');
    await fake.deliver('in', 0, ['a']);
    await waitUntil(() => count(fake.log, 'txn.init app-0_0') === 2, 'a new producer', 2_000);
    expect(fake.log).toContain('rewind in:0');
    expect(fake.committedOutput).toEqual([]);
    await fake.deliver('in', 0, ['a'], 0);
    await waitUntil(() => fake.committedOutput.length === 1, 'the record is committed once', 2_000);
    expect(streams.state()).not.toBe('ERROR');
  });

  it('a failed task commit aborts its transaction, every task restarts with a new producer and reprocesses from the committed offsets', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    const streams = await create(fake, copyTopology('in', 'out'));
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => fake.log.includes('txn.init app-0_0') && fake.log.includes('txn.init app-0_1'), 'task producers', 2_000);
    fake.failNextTransactionCommitWith = new Error('COORDINATOR_NOT_AVAILABLE');
    await fake.deliver('in', 0, ['a']);
    await waitUntil(() => count(fake.log, 'txn.init app-0_0') === 2 && count(fake.log, 'txn.init app-0_1') === 2, 'new producers for both tasks', 2_000);
    expect(fake.log).toContain('txn.abort');
    expect(fake.log.find((line) => line.startsWith('rewind'))).toMatch(/in:0/);
    expect(fake.committedOutput).toEqual([]);
    await fake.deliver('in', 0, ['a'], 0);
    await waitUntil(() => fake.committedOutput.length === 1, 'the record committed', 2_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.committedOutput.map((record) => text(record.value))).toEqual(['a']);
    expect(streams.state()).not.toBe('ERROR');
  });

  it('closes every task producer on close', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    const streams = await create(fake, copyTopology('in', 'out'));
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => fake.transactionalIds.length === 2 && streams.state() === 'RUNNING', 'running', 2_000);
    await streams.close({ timeoutMs: 2_000 });
    expect(count(fake.log, 'txn.close')).toBe(2);
  });
});
