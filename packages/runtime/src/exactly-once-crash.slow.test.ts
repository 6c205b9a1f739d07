import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Headers } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { checkExactlyOnce, sumInputValue } from './internal/testing/exactly-once-topology.js';
import { killHard, spawnChildApp, stopChild } from './internal/testing/child-apps.js';
import { committedTopicRecords, connectedTools, integrationBrokers, liveTopicReader, uniqueName, waitUntil } from './internal/testing/integration-kafka.js';
import type { ProcessingGuarantee } from './streams-config.js';

/**
 * kill -9 under exactly_once_v2 and exactly_once: 3 child instances of the running-sum app,
 * random SIGKILLs (each killed instance restarts at once on its state directory) while records
 * are produced. Short by default; `EOS_CRASH_RECORDS` and `EOS_CRASH_KILLS` scale it up.
 */
const RECORDS = Number(process.env['EOS_CRASH_RECORDS'] ?? 20_000);
const KILLS = Number(process.env['EOS_CRASH_KILLS'] ?? 4);
const KEYS = 200;
const PARTITIONS = 6;
const INSTANCES = 3;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** One instance slot: its state directory survives kills, its process is replaced. */
interface Instance {
  readonly stateDir: string;
  child: ChildProcess;
  log: string;
}

function launch(instance: Instance, args: readonly string[], guarantee: ProcessingGuarantee): void {
  const child = spawnChildApp('exactly-once-child-app.ts', [...args.slice(0, 4), instance.stateDir], { stdout: 'ignore', env: { EOS_GUARANTEE: guarantee } });
  child.stderr?.on('data', (chunk: Buffer) => (instance.log = (instance.log + chunk.toString()).slice(-20_000)));
  instance.child = child;
}

describe.each<ProcessingGuarantee>(['exactly_once_v2', 'exactly_once'])('kill -9 under %s', (guarantee) => {
  it(`3 instances, ${RECORDS} records, ${KILLS} SIGKILLs: the read_committed output has every record exactly once with the true sums`, async () => {
    const { admin, producer } = await connectedTools((close) => cleanups.push(close));
    const input = uniqueName('eos-crash-in');
    const output = uniqueName('eos-crash-out');
    await admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })));
    const applicationId = uniqueName('eos-crash');
    const args = [integrationBrokers().join(','), applicationId, input, output];
    const instances: Instance[] = [];
    for (let index = 0; index < INSTANCES; index++) {
      const stateDir = await mkdtemp(join(tmpdir(), 'kstreams-eos-crash-'));
      cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
      const instance = { stateDir, log: '' } as Instance;
      launch(instance, args, guarantee);
      instances.push(instance);
    }
    cleanups.push(() => Promise.all(instances.map((instance) => killHard(instance.child))));
    const reader = await liveTopicReader(output);
    cleanups.push(() => reader.close());

    const sums = new Map<string, number>();
    const batches = 40;
    const perBatch = Math.ceil(RECORDS / batches);
    const killAt = new Set<number>();
    while (killAt.size < Math.min(KILLS, batches - 2)) killAt.add(2 + Math.floor(Math.random() * (batches - 2)));
    const kills: string[] = [];
    for (let batch = 0, seq = 0; batch < batches; batch++) {
      const records = [];
      for (; seq < Math.min(RECORDS, (batch + 1) * perBatch); seq++) {
        const key = `k${seq % KEYS}`;
        const amount = (seq % 9) + 1;
        sums.set(key, (sums.get(key) ?? 0) + amount);
        records.push({ topic: input, partition: (seq % KEYS) % PARTITIONS, key: Buffer.from(key), value: Buffer.from(sumInputValue(seq, amount)), headers: new Headers(), timestamp: Date.now() });
      }
      await producer.send(records);
      if (killAt.has(batch)) {
        const victim = Math.floor(Math.random() * INSTANCES);
        kills.push(`instance ${victim} after batch ${batch} (output so far ${reader.records.length})`);
        await killHard(instances[victim]!.child);
        launch(instances[victim]!, args, guarantee);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The kafkajs reader is a cheap progress gate; the check reads with the runtime's reader (see committedTopicRecords).
    await waitUntil(() => reader.records.length >= RECORDS, `the output reaches ${RECORDS} records`, 300_000);
    await waitUntil(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return (await committedTopicRecords(output, PARTITIONS)).length >= RECORDS;
    }, `the committed output reaches ${RECORDS} records`, 300_000);
    // Late duplicates would show up now.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await Promise.all(instances.map((instance) => stopChild(instance.child)));
    const check = checkExactlyOnce(sums, RECORDS, await committedTopicRecords(output, PARTITIONS));
    console.log(`exactly-once crash test: kills: ${kills.join('; ')}\n${JSON.stringify(check)}`);
    expect(kills).toHaveLength(Math.min(KILLS, batches - 2));
    expect(check).toEqual({ expected: RECORDS, seen: RECORDS, lost: 0, duplicated: 0, wrongSums: 0 });
  }, 900_000);
});
