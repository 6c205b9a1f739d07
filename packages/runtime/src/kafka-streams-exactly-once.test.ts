import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProducerFencedError } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from './internal/testing/fake-kafka.js';
import { waitUntil } from './internal/testing/integration-kafka.js';
import { copyTopology, wordCountTopology } from './internal/testing/word-count-topology.js';
import { KafkaStreams } from './kafka-streams.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function create(fake: FakeKafka, topology: ConstructorParameters<typeof KafkaStreams>[0]) {
  const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-eos-unit-'));
  const streams = new KafkaStreams(topology, { applicationId: 'app', bootstrapServers: 'fake:9092', processingGuarantee: 'exactly_once_v2', commitIntervalMs: 50, stateDir }, { clientFactory: fake });
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }), () => streams.close({ timeoutMs: 2_000 }));
  await streams.start();
  return streams;
}

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();

describe('KafkaStreams under exactly_once_v2 (fake Kafka)', () => {
  it('sends inside a transaction begun lazily, then flushes, adds the offsets with the group metadata and commits', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    await create(fake, copyTopology('in', 'out'));
    expect(fake.transactionalIds).toEqual([expect.stringMatching(/^app-[0-9a-f-]{36}-0$/)]);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => fake.log.includes('consumer.connect'), 'connected', 2_000);
    expect(fake.log.indexOf(`txn.init ${fake.transactionalIds[0]}`)).toBeLessThan(fake.log.indexOf('consumer.connect'));
    await fake.deliver('in', 0, ['a', 'b']);
    await waitUntil(() => fake.log.includes('txn.commit'), 'a transaction commits', 2_000);
    const transaction = fake.log.slice(fake.log.indexOf('txn.begin'), fake.log.indexOf('txn.commit') + 1);
    expect(transaction).toEqual(['txn.begin', 'send 2', 'txn.offsets in:0@2 generation 1 member-0', 'txn.commit']);
    expect(fake.committedOutput.map((record) => text(record.value))).toEqual(['a', 'b']);
    expect(fake.commits).toEqual([[{ topic: 'in', partition: 0, offset: 2, metadata: expect.any(String) }]]);
    // Idle: no empty transactions.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.log.filter((line) => line === 'txn.begin')).toHaveLength(1);
  });

  it('aborts a transaction whose commit fails, wipes the tasks and reprocesses from the committed offsets', async () => {
    const fake = new FakeKafka({ lines: 1, counts: 1 });
    const streams = await create(fake, wordCountTopology('lines', 'counts'));
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await fake.deliver('lines', 0, ['to be']);
    await waitUntil(() => fake.log.includes('txn.commit'), 'the first transaction commits', 2_000);
    fake.failNextTransactionCommitWith = new Error('COORDINATOR_NOT_AVAILABLE');
    await fake.deliver('lines', 0, ['or not'], 1);
    await waitUntil(() => fake.log.includes('txn.abort'), 'the failed transaction is aborted', 2_000);
    const afterFailure = fake.log.slice(fake.log.lastIndexOf('txn.begin'));
    expect(afterFailure.slice(0, 4)).toEqual(['txn.begin', expect.stringMatching(/^send /), expect.stringMatching(/^txn\.offsets lines:0@2/), 'txn.abort']);
    expect(afterFailure).toContain('rewind lines:0');
    // Nothing of the aborted transaction is visible; the task is recreated and runs again.
    const committedKeys = fake.committedOutput.map((record) => text(record.key));
    expect(committedKeys).toContain('be');
    expect(committedKeys).not.toContain('or');
    expect(committedKeys).not.toContain('not');
    await waitUntil(() => streams.localThreadsMetadata()[0]?.activeTasks[0]?.state === 'RUNNING', 'the recreated task runs', 2_000);
    expect(streams.state()).not.toBe('ERROR');
  });

  it('a fenced producer is replaced (fresh epoch) and the thread rejoins', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const streams = await create(fake, copyTopology('in', 'out'));
    fake.assign([{ topic: 'in', partition: 0 }]);
    fake.failNextTransactionCommitWith = new ProducerFencedError('PRODUCER_FENCED');
    await fake.deliver('in', 0, ['a']);
    await waitUntil(() => fake.log.filter((line) => line.startsWith('txn.init')).length === 2, 'a new producer', 2_000);
    expect(fake.committedOutput).toEqual([]);
    await fake.deliver('in', 0, ['a'], 0);
    await waitUntil(() => fake.committedOutput.length === 1, 'the record is committed once', 2_000);
    expect(streams.state()).not.toBe('ERROR');
  });
});
