import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PunctuationType, Record, Serdes, Stores, Topology, type Processor, type ProcessorContext } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKafka } from './internal/testing/fake-kafka.js';
import { waitUntil } from './internal/testing/integration-kafka.js';
import { copyTopology, wordCountTopology } from './internal/testing/word-count-topology.js';
import { KafkaStreams } from './kafka-streams.js';
import { decodePartitionTime } from './partition-time-metadata.js';
import type { KafkaStreamsState } from './kafka-streams-state.js';
import type { StreamsConfigOptions } from './streams-config.js';

const open: KafkaStreams[] = [];
afterEach(async () => {
  for (const streams of open.splice(0)) await streams.close({ timeoutMs: 2_000 });
});

function create(fake: FakeKafka, topology: ConstructorParameters<typeof KafkaStreams>[0], options: Partial<StreamsConfigOptions> = {}) {
  // Each instance its own state directory: the process lock refuses two instances sharing one.
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-fake-'));
  const streams = new KafkaStreams(topology, { applicationId: 'app', bootstrapServers: 'fake:9092', commitIntervalMs: 50, stateDir, ...options }, { clientFactory: fake });
  open.push(streams);
  const states: KafkaStreamsState[] = [];
  streams.onStateChange((state) => states.push(state));
  return { streams, states };
}

const text = (bytes: Uint8Array | null): string => Buffer.from(bytes ?? new Uint8Array()).toString();

describe('KafkaStreams (fake Kafka)', () => {
  it('goes REBALANCING on start and RUNNING once the assignment is in place', async () => {
    const fake = new FakeKafka({ in: 2, out: 2 });
    const { streams, states } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    expect(streams.state()).toBe('REBALANCING');
    expect(await fake.subscribed()).toEqual(['in']);
    expect(fake.consumerOptions?.groupId).toBe('app');
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    expect(states).toEqual(['REBALANCING', 'RUNNING']);
    expect(streams.localThreadsMetadata()[0]!.activeTasks.map((task) => task.taskId)).toEqual(['0_0', '0_1']);
  });

  it('runs numStreamThreads consumers and is RUNNING only once every thread has its assignment', async () => {
    const fake = new FakeKafka({ in: 4, out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'), { numStreamThreads: 2, clientId: 'client' });
    await streams.start();
    expect(fake.consumersCreated).toBe(2);
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }], 0);
    await waitUntil(() => streams.localThreadsMetadata()[0]!.state === 'RUNNING', 'the first thread runs', 2_000);
    expect(streams.state()).toBe('REBALANCING');
    fake.assign([{ topic: 'in', partition: 2 }, { topic: 'in', partition: 3 }], 1);
    await waitUntil(() => streams.state() === 'RUNNING', 'the instance runs', 2_000);
    expect(states).toEqual(['REBALANCING', 'RUNNING']);
    expect(streams.localThreadsMetadata().map((thread) => [thread.threadName, thread.activeTasks.map((task) => task.taskId)])).toEqual([
      ['client-StreamThread-1', ['0_0', '0_1']],
      ['client-StreamThread-2', ['0_2', '0_3']],
    ]);
    await fake.deliver('in', 3, ['x']);
    await fake.deliver('in', 0, ['y']);
    await waitUntil(() => fake.produced.length === 2, 'both threads produce', 2_000);
    expect(await streams.close({ timeoutMs: 2_000 })).toBe(true);
    expect(streams.localThreadsMetadata().map((thread) => thread.state)).toEqual(['DEAD', 'DEAD']);
    expect(fake.log.filter((line) => line === 'consumer.disconnect')).toHaveLength(2);
  });

  it('creates changelog topics with the source partition count', async () => {
    const fake = new FakeKafka({ lines: 3, counts: 3 });
    const { streams } = create(fake, wordCountTopology('lines', 'counts'));
    await streams.start();
    expect(fake.created).toEqual([{ topic: 'app-counts-changelog', numPartitions: 3, replicationFactor: -1, configs: { 'cleanup.policy': 'compact' } }]);
  });

  it('writes store changes to the changelog partition of the task, flushed before the commit', async () => {
    const fake = new FakeKafka({ lines: 3, counts: 3 });
    const { streams } = create(fake, wordCountTopology('lines', 'counts'));
    await streams.start();
    fake.assign([{ topic: 'lines', partition: 2 }]);
    await fake.deliver('lines', 2, ['to be or not to be']);
    await waitUntil(() => fake.commits.length > 0, 'a commit', 2_000);
    const changelog = fake.produced.filter((record) => record.topic === 'app-counts-changelog');
    expect(changelog.map((record) => text(record.key))).toEqual(['to', 'be', 'or', 'not', 'to', 'be']);
    expect(new Set(changelog.map((record) => record.partition))).toEqual(new Set([2]));
    expect(fake.produced.filter((record) => record.topic === 'counts')).toHaveLength(6);
  });

  it('fails start with a clear error when a source topic is missing, ending in ERROR', async () => {
    const fake = new FakeKafka({ out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'));
    await expect(streams.start()).rejects.toThrow(/Source topic "in".*create the topic/);
    expect(states).toEqual(['REBALANCING', 'PENDING_ERROR', 'ERROR']);
  });

  it('processes delivered records and commits only after the producer acknowledged them', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['a', 'b', 'c']);
    await waitUntil(() => fake.commits.length > 0, 'a commit', 2_000);
    expect(fake.produced.map((record) => text(record.value))).toEqual(['a', 'b', 'c']);
    expect(fake.commits[0]).toMatchObject([{ topic: 'in', partition: 0, offset: 3 }]);
    // Kafka Streams keeps partition time in the commit metadata: the last record's timestamp here.
    expect(decodePartitionTime(fake.commits[0]![0]!.metadata)).toBe(1_002);
    expect(fake.log.indexOf('send 3')).toBeLessThan(fake.log.indexOf('commit'));
  });

  it('pauses a partition whose buffer is full and resumes it once drained', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, copyTopology('in', 'out'), { bufferedRecordsPerPartition: 2 });
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING' && !fake.paused.has('in:0'), 'running', 2_000);
    await fake.deliver('in', 0, ['a', 'b', 'c']);
    await waitUntil(() => fake.log.includes('pause in:0'), 'the partition is paused', 2_000);
    await waitUntil(() => fake.log.lastIndexOf('resume in:0') > fake.log.lastIndexOf('pause in:0'), 'the partition is resumed', 2_000);
    await waitUntil(() => fake.produced.length === 3, 'all three records are produced', 2_000);
  });

  it('drops records of partitions it does not own', async () => {
    const fake = new FakeKafka({ in: 2, out: 1 });
    const { streams } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 1, ['not mine']);
    await fake.deliver('in', 0, ['mine']);
    await waitUntil(() => fake.produced.length === 1, 'one record is produced', 2_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.produced.map((record) => text(record.value))).toEqual(['mine']);
  });

  it('commits and closes every task on an eager revocation, then takes the new assignment', async () => {
    const fake = new FakeKafka({ in: 2, out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
    await fake.deliver('in', 0, ['a', 'b']);
    await waitUntil(() => streams.state() === 'RUNNING' && fake.produced.length === 2, 'two records produced', 2_000);
    fake.rebalance();
    await waitUntil(() => streams.state() === 'REBALANCING', 'rebalancing', 2_000);
    expect(fake.commits.at(-1)).toMatchObject([{ topic: 'in', partition: 0, offset: 2 }]);
    expect(streams.localThreadsMetadata()[0]!.activeTasks).toEqual([]);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running again', 2_000);
    expect(streams.localThreadsMetadata()[0]!.activeTasks.map((task) => task.taskId)).toEqual(['0_0']);
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING']);
  });

  it('reports every new assignment as a rebalance, even one that revokes nothing', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => streams.state() === 'RUNNING', 'running', 2_000);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => states.length === 4, 'a second transition to RUNNING', 2_000);
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING']);
  });

  it('goes to ERROR when a processor fails and the default handler fails the task', async () => {
    class Exploding implements Processor<string | null, string | null, string, string> {
      process(): void {
        throw new Error('boom');
      }
    }
    const topology = Topology.untyped()
      .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('explode', () => new Exploding(), 'in');
    const fake = new FakeKafka({ in: 1 });
    const { streams, states } = create(fake, topology);
    const seen: unknown[] = [];
    streams.setUncaughtExceptionHandler((error) => (seen.push(error), 'SHUTDOWN_CLIENT'));
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['x']);
    await waitUntil(() => streams.state() === 'ERROR', 'the instance is in ERROR', 2_000);
    expect(states.slice(-2)).toEqual(['PENDING_ERROR', 'ERROR']);
    expect(seen).toHaveLength(1);
    expect(fake.commits).toHaveLength(0);
    expect(fake.log).toContain('consumer.disconnect');
  });

  it('replaces a failed stream thread when the handler says REPLACE_THREAD, resuming from committed offsets', async () => {
    let failures = 0;
    class FailsOnce implements Processor<string | null, string | null, string | null, string | null> {
      #context!: ProcessorContext<string | null, string | null>;
      init(context: ProcessorContext<string | null, string | null>): void {
        this.#context = context;
      }
      process(record: Record<string | null, string | null>): void {
        if (record.value === 'bad' && failures++ === 0) throw new Error('transient');
        this.#context.forward(record);
      }
    }
    const topology = Topology.untyped()
      .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('fails-once', () => new FailsOnce(), 'in')
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'fails-once');
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams, states } = create(fake, topology);
    streams.setUncaughtExceptionHandler(() => 'REPLACE_THREAD');
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['bad']);
    await waitUntil(() => fake.consumersCreated === 2 && fake.log.filter((line) => line === 'consumer.connect').length === 2, 'a second consumer joins', 2_000);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['bad', 'good']);
    await waitUntil(() => fake.produced.length === 2, 'both records are produced by the new thread', 2_000);
    expect(fake.produced.map((record) => text(record.value))).toEqual(['bad', 'good']);
    expect(states).toEqual(['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING']);
    expect(streams.localThreadsMetadata().map((thread) => thread.threadName)).toEqual(['app-StreamThread-2']);
  });

  it('commits when a processor asks for it', async () => {
    class Committing implements Processor<string | null, string | null, string | null, string | null> {
      #context!: ProcessorContext<string | null, string | null>;
      init(context: ProcessorContext<string | null, string | null>): void {
        this.#context = context;
      }
      process(record: Record<string | null, string | null>): void {
        this.#context.forward(record);
        this.#context.commit();
      }
    }
    const topology = Topology.untyped()
      .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('commit', () => new Committing(), 'in')
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'commit');
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, topology, { commitIntervalMs: 3_600_000 });
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['x']);
    await waitUntil(() => fake.commits.length === 1, 'a requested commit', 2_000);
  });

  it('commits, closes tasks and leaves the group on close, and is idempotent', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'), { commitIntervalMs: 3_600_000 });
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['a']);
    await waitUntil(() => fake.produced.length === 1, 'one record produced', 2_000);
    expect(await streams.close({ timeoutMs: 2_000 })).toBe(true);
    expect(await streams.close({ timeoutMs: 2_000 })).toBe(true);
    expect(fake.commits).toMatchObject([[{ topic: 'in', partition: 0, offset: 1 }]]);
    expect(fake.log.slice(-3)).toEqual(['consumer.disconnect', 'producer.disconnect', 'changelogReader.disconnect']);
    expect(states.slice(-2)).toEqual(['PENDING_SHUTDOWN', 'NOT_RUNNING']);
    await expect(streams.start()).rejects.toThrow(/only be started once/);
  });

  it('fires wall-clock punctuators from the loop even when no records arrive', async () => {
    class Ticker implements Processor<string | null, string | null, string, string> {
      init(context: ProcessorContext<string, string>): void {
        context.schedule(20, PunctuationType.WALL_CLOCK_TIME, (timestamp) => context.forward(new Record('tick', 'tock', timestamp)));
      }
      process(): void {}
    }
    const topology = Topology.untyped()
      .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('ticker', () => new Ticker(), 'in')
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'ticker');
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, topology);
    await streams.start();
    fake.assign([{ topic: 'in', partition: 0 }]);
    await waitUntil(() => fake.produced.length >= 3, 'three ticks', 2_000);
  });

  it('deletes the application state directory with cleanUp after close', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-cleanup-'));
    await mkdir(join(stateDir, 'app', '0_0'), { recursive: true });
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, copyTopology('in', 'out'), { stateDir });
    await streams.close();
    await streams.cleanUp();
    await expect(stat(join(stateDir, 'app'))).rejects.toThrow(/ENOENT/);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('never joins the group when close() is called during start()', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams, states } = create(fake, copyTopology('in', 'out'));
    const starting = streams.start();
    expect(await streams.close({ timeoutMs: 2_000 })).toBe(true);
    await starting;
    expect(fake.log).not.toContain('consumer.connect');
    expect(states).toEqual(['REBALANCING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  });

  it('refuses cleanUp while running', async () => {
    const fake = new FakeKafka({ in: 1, out: 1 });
    const { streams } = create(fake, copyTopology('in', 'out'));
    await streams.start();
    await expect(streams.cleanUp()).rejects.toThrow(/cannot run while the instance is REBALANCING/);
  });
});

describe('KafkaStreams construction', () => {
  // Java: a dying global stream thread takes the client to ERROR rather than serving stale global stores.
  it('goes to ERROR when updating a global store fails while running', async () => {
    const fake = new FakeKafka({ in: 1, out: 1, countries: 1 });
    const builder = Stores.keyValueStoreBuilder({ name: 'countries', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const topology = copyTopology('in', 'out').addGlobalStore(builder, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-loader', () => ({
      process: (record: Record<string | null, string | null>) => {
        if (record.value === 'poison') throw new Error('cannot load this country');
      },
    }));
    const { streams, states } = create(fake, topology, { stateDir: await mkdtemp(join(tmpdir(), 'kstreams-global-')) });
    await streams.start();
    fake.changelog.append({ topic: 'countries', partition: 0 }, new TextEncoder().encode('xx'), new TextEncoder().encode('poison'));
    await waitUntil(() => streams.state() === 'ERROR', 'the client to stop in ERROR', 5_000);
    expect(states).toEqual(['REBALANCING', 'PENDING_ERROR', 'ERROR']);
  });

  // Kafka Streams restores global stores before the instance runs, and every stream task reads them.
  it('restores a global store before running and lets stream processors read it', async () => {
    const fake = new FakeKafka({ in: 1, out: 1, countries: 1 });
    fake.changelog.append({ topic: 'countries', partition: 0 }, new TextEncoder().encode('fr'), new TextEncoder().encode('France'));
    const builder = Stores.keyValueStoreBuilder({ name: 'countries', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const topology = Topology.untyped()
      .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('lookup', (): Processor<string, string, string, string> => {
        let context: ProcessorContext<string, string>;
        return {
          init: (given) => void (context = given),
          process: (record) => context.forward(record.withValue(context.getStateStore<import('@kstreams/core').KeyValueStore<string, string>>('countries').get(record.value ?? '') ?? '?')),
        };
      }, 'in')
      .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'lookup')
      .addGlobalStore(builder, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-loader', () => {
        let store: import('@kstreams/core').KeyValueStore<string | null, string | null>;
        return { init: (context) => void (store = context.getStateStore('countries')), process: (record: Record<string | null, string | null>) => store.put(record.key, record.value) };
      });
    const { streams } = create(fake, topology, { stateDir: await mkdtemp(join(tmpdir(), 'kstreams-global-')) });
    await streams.start();
    expect(await fake.subscribed()).toEqual(['in']);
    fake.assign([{ topic: 'in', partition: 0 }]);
    await fake.deliver('in', 0, ['fr', 'xx']);
    await waitUntil(() => fake.produced.length === 2, 'both records joined with the global store', 2_000);
    expect(fake.produced.map((record) => text(record.value))).toEqual(['France', '?']);
  });
});
