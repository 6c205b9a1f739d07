import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateRestoreListener } from '@kstreams/changelog';
import { FakeKafka } from './internal/testing/fake-kafka.js';
import { waitUntil } from './internal/testing/integration-kafka.js';
import { copyTopology, wordCountTopology } from './internal/testing/word-count-topology.js';
import { KafkaStreams } from './kafka-streams.js';

const open: KafkaStreams[] = [];
afterEach(async () => {
  for (const streams of open.splice(0)) await streams.close({ timeoutMs: 2_000 });
});

const word = (text: string): Uint8Array => Serdes.string().serialize('', text)!;
const count = (value: number): Uint8Array => Serdes.int64Number().serialize('', value)!;

describe('KafkaStreams restore (fake Kafka)', () => {
  it('restores a task\'s store from its changelog before processing, with the input paused meanwhile', async () => {
    const fake = new FakeKafka({ lines: 2, counts: 2 });
    const changelog = { topic: 'app-counts-changelog', partition: 1 };
    fake.changelog.append(changelog, word('hello'), count(5));
    fake.changelog.append(changelog, word('bye'), count(2));
    fake.changelog.append(changelog, word('bye'), null);
    const streams = new KafkaStreams(wordCountTopology('lines', 'counts'), { applicationId: 'app', bootstrapServers: 'fake:9092', commitIntervalMs: 50, stateDir: mkdtempSync(join(tmpdir(), 'kstreams-fake-restore-')) }, { clientFactory: fake });
    open.push(streams);
    const events: string[] = [];
    const listener: StateRestoreListener = {
      onRestoreStart: (partition, store, start, end) => events.push(`start ${store} ${partition.partition} ${start}..${end}`),
      onRestoreEnd: (_partition, store, total) => events.push(`end ${store} ${total}`),
    };
    streams.setGlobalStateRestoreListener(listener);
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 1 }]);
    const pausedWhileRestoring = fake.paused.has('lines:1');
    await waitUntil(() => streams.state() === 'RUNNING', 'the task restored and runs', 2_000);
    expect(pausedWhileRestoring).toBe(true);
    expect(fake.paused.has('lines:1')).toBe(false);
    expect(events).toEqual(['start counts 1 0..3', 'end counts 3']);
    expect(streams.localThreadsMetadata()[0]!.activeTasks[0]).toMatchObject({ taskId: '0_1', state: 'RUNNING', restoredRecords: 3 });
    await fake.deliver('lines', 1, ['hello bye']);
    await waitUntil(() => fake.produced.filter((record) => record.topic === 'counts').length === 2, 'two counts out', 2_000);
    const counts = fake.produced.filter((record) => record.topic === 'counts').map((record) => [Serdes.string().deserialize('', record.key), Serdes.int64Number().deserialize('', record.value)]);
    expect(counts).toEqual([['hello', 6], ['bye', 1]]);
  });

  it('resumes the input of a stateless task as soon as it is initialised', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const streams = new KafkaStreams(copyTopology('in', 'out'), { applicationId: 'app', bootstrapServers: 'fake:9092', commitIntervalMs: 50, stateDir: mkdtempSync(join(tmpdir(), 'kstreams-fake-restore-')) }, { clientFactory: fake });
    open.push(streams);
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    expect(fake.paused.has('in:0')).toBe(true);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    await waitUntil(() => !fake.paused.has('in:0'), 'the input resumed', 2_000);
  });

  it('opens the standby tasks the assignment names, never the active ones, and closes them on shutdown', async () => {
    const fake = new FakeKafka({ lines: 3, counts: 3 });
    fake.standbyTasks = ['0_1', '0_2', '0_0'];
    const streams = new KafkaStreams(wordCountTopology('lines', 'counts'), { applicationId: 'app', bootstrapServers: 'fake:9092', commitIntervalMs: 50, stateDir: mkdtempSync(join(tmpdir(), 'kstreams-fake-restore-')) }, { clientFactory: fake });
    open.push(streams);
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    expect([...streams.localThreadsMetadata()[0]!.standbyTasks].sort()).toEqual(['0_1', '0_2']);
    expect(await streams.close({ timeoutMs: 2_000 })).toBe(true);
    expect(streams.localThreadsMetadata()[0]!.standbyTasks).toEqual([]);
  });
});
