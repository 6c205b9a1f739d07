import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryChangelog } from '@kstreams/changelog';
import { Headers, createCacheBudget, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { changelogHooks } from './changelog-hooks.js';
import { noopLogger } from './internal/engine-ports.js';
import type { AcknowledgedOffset, OffsetToCommit, ProducerRecord } from './kafka/kafka-client.js';
import { KafkaRecordCollector } from './kafka-record-collector.js';
import { productionHandlers } from './production-exception-handler.js';
import { StateDirectory } from './state-directory.js';
import { TaskManager } from './task-manager.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

class Summing implements Processor<string | null, string | null, string, number> {
  #context!: ProcessorContext<string, number>;
  #sums!: KeyValueStore<string, number>;
  init(context: ProcessorContext<string, number>): void {
    this.#context = context;
    this.#sums = context.getStateStore<KeyValueStore<string, number>>('sums');
  }
  process(record: Record<string | null, string | null>): void {
    const sum = (this.#sums.get(record.key!) ?? 0) + Number(record.value);
    this.#sums.put(record.key!, sum);
    this.#context.forward(record.withKey(record.key!).withValue(sum));
  }
}

function sumTopology() {
  return Topology.untyped()
    .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('sum', () => new Summing(), 'in')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'sums', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }).withCachingEnabled(), 'sum')
    .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }, 'sum')
    .build();
}

/** A producer that appends changelog records to the in-memory changelog and keeps the rest. */
function producerInto(changelog: InMemoryChangelog, produced: ProducerRecord[]) {
  return {
    failWith: undefined as Error | undefined,
    async send(records: readonly ProducerRecord[]): Promise<AcknowledgedOffset[]> {
      if (this.failWith !== undefined) throw this.failWith;
      const acknowledged = new Map<string, AcknowledgedOffset>();
      for (const record of records) {
        produced.push(record);
        const offset = record.topic.endsWith('-changelog') ? changelog.append(record, record.key, record.value) : produced.length - 1;
        acknowledged.set(`${record.topic}-${record.partition}`, { topic: record.topic, partition: record.partition, lastOffset: offset });
      }
      return [...acknowledged.values()];
    },
  };
}

async function setup(options: { owner?: string; shared?: { stateDir: string; stateDirectory: StateDirectory; changelog: InMemoryChangelog } } = {}) {
  const stateDir = options.shared?.stateDir ?? (await mkdtemp(join(tmpdir(), 'kstreams-tm-')));
  if (options.shared === undefined) directories.push(stateDir);
  const changelog = options.shared?.changelog ?? new InMemoryChangelog();
  const stateDirectory = options.shared?.stateDirectory ?? new StateDirectory({ stateDir, applicationId: 'app', processId: 'p1', logger: noopLogger });
  const produced: ProducerRecord[] = [];
  const producer = producerInto(changelog, produced);
  const commits: OffsetToCommit[][] = [];
  const committer = { failWith: undefined as Error | undefined };
  const collector = new KafkaRecordCollector({ producer, partitionCounts: { load: async () => new Map([['out', 4]]) }, productionExceptionHandler: productionHandlers.logAndFail, logger: noopLogger });
  const taskManager = new TaskManager({
    model: sumTopology(),
    taskConfig: { applicationId: 'app', stateDir },
    collector,
    committer: {
      flush: () => collector.flush(),
      commitOffsets: async (offsets) => {
        if (committer.failWith !== undefined) throw committer.failWith;
        commits.push([...offsets]);
      },
    },
    logger: noopLogger,
    owner: options.owner ?? 'thread-1',
    stateDirectory,
    stateManagerHooks: (taskId, taskCollector) => changelogHooks({ applicationId: 'app', partition: taskId.partition, collector: taskCollector, cacheBudget: createCacheBudget(1024 * 1024) }),
    changelog: { applicationId: 'app', stateDir, reader: changelog, logger: noopLogger },
  });
  return { taskManager, stateDir, stateDirectory, changelog, produced, producer, commits, committer, collector };
}

const partition0 = { topic: 'in', partition: 0 };
const assignment = (partitions: { topic: string; partition: number }[], standbyTasks: string[] = []) => ({ generationId: 1, memberId: 'm', isLeader: true, partitions, activeTasks: [], standbyTasks, committed: new Map() });
const input = (offset: number, key: string, value: number) => ({ topic: 'in', partition: 0, offset, key: Buffer.from(key), value: Buffer.from(String(value)), timestamp: 1_000 + offset, headers: new Headers() });

async function runUntilRunning(taskManager: TaskManager): Promise<void> {
  for (let attempt = 0; attempt < 50 && !taskManager.allRunning(); attempt++) {
    await taskManager.initializeTasks();
    await taskManager.restore(100);
  }
  expect(taskManager.allRunning()).toBe(true);
}

const checkpointOf = async (stateDir: string): Promise<string> => readFile(join(stateDir, 'app', '0_0', '.checkpoint'), 'utf8').catch(() => '');

describe('TaskManager', () => {
  it('commits revoked tasks (outputs acknowledged, offsets with partition time) before closing them cleanly', async () => {
    const { taskManager, produced, commits, stateDir } = await setup();
    await taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(taskManager);
    taskManager.addRecords(partition0, [input(0, 'a', 1), input(1, 'a', 2)], 2);
    expect(await taskManager.process(10, { timeBudgetMs: 1_000, chunkRecords: 10 })).toBe(2);
    await taskManager.handleRevocation([partition0]);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject([{ topic: 'in', partition: 0, offset: 2 }]);
    expect(commits[0]![0]!.metadata).toEqual(expect.any(String));
    expect(produced.filter((record) => record.topic === 'app-sums-changelog')).toHaveLength(1);
    expect(taskManager.activeTaskIds()).toEqual([]);
    expect(await checkpointOf(stateDir)).toContain('app-sums-changelog');
  });

  it('closes every task dirty when the partitions are lost: no commit, no cached write logged, no checkpoint', async () => {
    const { taskManager, produced, commits, stateDir } = await setup();
    await taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(taskManager);
    const before = await checkpointOf(stateDir);
    taskManager.addRecords(partition0, [input(0, 'a', 1)], 1);
    await taskManager.process(10, { timeBudgetMs: 1_000, chunkRecords: 10 });
    await taskManager.handleLostAll();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(commits).toEqual([]);
    expect(produced.filter((record) => record.topic === 'app-sums-changelog')).toEqual([]);
    expect(await checkpointOf(stateDir)).toBe(before);
  });

  it('closes revoked tasks dirty when their commit fails', async () => {
    const { taskManager, committer, stateDir } = await setup();
    await taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(taskManager);
    const before = await checkpointOf(stateDir);
    taskManager.addRecords(partition0, [input(0, 'a', 1)], 1);
    await taskManager.process(10, { timeBudgetMs: 1_000, chunkRecords: 10 });
    committer.failWith = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    await taskManager.handleRevocation([partition0]);
    expect(taskManager.activeTaskIds()).toEqual([]);
    expect(await checkpointOf(stateDir)).toBe(before);
  });

  it('hands a task between two threads of one instance: the new owner waits until the old one closed it', async () => {
    const first = await setup({ owner: 'thread-1' });
    const second = await setup({ owner: 'thread-2', shared: first });
    await first.taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(first.taskManager);
    await second.taskManager.handleAssignment(assignment([partition0]));
    await second.taskManager.initializeTasks();
    expect(second.taskManager.metadata()[0]!.state).toBe('CREATED');
    await first.taskManager.handleRevocation([partition0]);
    await runUntilRunning(second.taskManager);
    expect(first.stateDirectory.taskLockOwner('0_0')).toBe('thread-2');
    await second.taskManager.closeAll({ clean: true });
  });

  it('wipes a task whose store file is damaged and restores it from the changelog, exactly', async () => {
    const { taskManager, stateDir, produced, collector } = await setup();
    await taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(taskManager);
    taskManager.addRecords(partition0, [input(0, 'a', 1), input(1, 'b', 5), input(2, 'a', 2)], 3);
    await taskManager.process(10, { timeBudgetMs: 1_000, chunkRecords: 10 });
    await taskManager.handleRevocation([partition0]);
    const storeDirectory = join(stateDir, 'app', '0_0');
    for (const entry of await readdir(storeDirectory, { recursive: true })) {
      if (String(entry).endsWith('data.mdb')) await writeFile(join(storeDirectory, String(entry)), Buffer.alloc(64, 7));
    }
    await taskManager.handleAssignment(assignment([partition0]));
    await runUntilRunning(taskManager);
    expect(taskManager.metadata()[0]!.restoredRecords).toBe(2);
    taskManager.addRecords(partition0, [input(3, 'a', 10), input(4, 'b', 1)], 5);
    await taskManager.process(10, { timeBudgetMs: 1_000, chunkRecords: 10 });
    await collector.flush();
    const sums = produced.filter((record) => record.topic === 'out').slice(-2).map((record) => Number(Buffer.from(record.value!).readBigInt64BE()));
    expect(sums).toEqual([13, 6]);
    await taskManager.closeAll({ clean: true });
  });
});
