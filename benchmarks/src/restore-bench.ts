/**
 * The restore benchmark (issue 6): restores a changelog of 1M records (16 B keys, 100 B values)
 * into an LMDB store, as kstreams does when a task moves in (the runtime's group-less
 * read_committed `KafkajsChangelogReader` + `StoreChangelogReader` writing through a kstreams
 * key-value store's restore callback), beside a raw baseline: a plain kafkajs consumer reading
 * the same changelog into lmdb-js directly (`putSync` inside `transactionSync` per batch).
 * Warm-up of each, then alternating measured runs, median of at least 3; every run restores
 * into a fresh directory and must end with exactly every key.
 *
 * `pnpm --filter @kstreams/benchmarks run bench:restore`, or with `BENCH_SHORT=1` (20k records).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StoreChangelogReader } from '@kstreams/changelog';
import { Stores, type KeyValueStore, type Serde, type StateRestoreCallback } from '@kstreams/core';
import { useKafka, type KafkaConnection } from '@kstreams/kafka-broker';
import { KafkajsChangelogReader } from '@kstreams/runtime';
import { lmdbBackend } from '@kstreams/store-lmdb';
import kafkajs, { type Kafka } from 'kafkajs';
import { open } from 'lmdb';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';

const { logLevel } = kafkajs;

const RECORDS = isShortMode ? 20_000 : 1_000_000;
const KEY_BYTES = 16;
const VALUE_BYTES = 100;
const MEASURED_RUNS = 3;
const PRODUCE_CHUNK = 2_000;

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const mebibytes = (bytes: number): number => Math.round(bytes / 2 ** 20);
const bytesSerde: Serde<Uint8Array> = { serialize: (_topic, data) => data, deserialize: (_topic, data) => data ?? new Uint8Array() };
const keyOf = (index: number): Buffer => Buffer.from(String(index).padStart(KEY_BYTES, '0'));

interface RestoreRun {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly directory: string;
}

/** The kstreams modules a restore runs on: this checkout's, or another checkout's (RESTORE_BASE). */
interface KstreamsModules {
  readonly StoreChangelogReader: typeof StoreChangelogReader;
  readonly Stores: typeof Stores;
  readonly KafkajsChangelogReader: typeof KafkajsChangelogReader;
  readonly lmdbBackend: typeof lmdbBackend;
}

const THIS_CHECKOUT: KstreamsModules = { StoreChangelogReader, Stores, KafkajsChangelogReader, lmdbBackend };

/** The same modules from another checkout's sources (e.g. a copy of the code before a change). */
async function modulesOf(checkout: string): Promise<KstreamsModules> {
  const load = (pkg: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(checkout, 'packages', pkg, 'src', 'index.ts')).href) as Promise<Record<string, unknown>>;
  const [changelog, core, runtime, storeLmdb] = await Promise.all([load('changelog'), load('core'), load('runtime'), load('store-lmdb')]);
  return { StoreChangelogReader: changelog['StoreChangelogReader'], Stores: core['Stores'], KafkajsChangelogReader: runtime['KafkajsChangelogReader'], lmdbBackend: storeLmdb['lmdbBackend'] } as KstreamsModules;
}

/** kstreams: the runtime's changelog reader and restore loop into a logged-store-shaped LMDB key-value store. */
function restoreWithKstreams(run: RestoreRun): Promise<number> {
  return restoreWithModules(THIS_CHECKOUT, run);
}

async function restoreWithModules({ StoreChangelogReader, Stores, KafkajsChangelogReader, lmdbBackend }: KstreamsModules, { kafka, topic, directory }: RestoreRun): Promise<number> {
  const store = Stores.keyValueStoreBuilder({ name: 'bench', backend: lmdbBackend(), keySerde: bytesSerde, valueSerde: bytesSerde }).withCachingDisabled().build() as KeyValueStore<Uint8Array, Uint8Array>;
  let restoreCallback: StateRestoreCallback | undefined;
  await store.init({
    applicationId: () => 'bench',
    taskId: () => '0_0',
    appConfigs: () => ({}),
    stateDirectory: () => directory,
    currentStreamTimeMs: () => 0,
    register: (_store, callback) => void (restoreCallback = callback),
    changelogWriter: () => undefined,
    cacheBudget: () => undefined,
  });
  const reader = new KafkajsChangelogReader(kafka);
  try {
    const started = performance.now();
    const restorer = new StoreChangelogReader({ taskId: '0_0', reader, stores: [{ storeName: 'bench', changelog: { topic, partition: 0 }, restoreCallback: (records) => restoreCallback!(records) }] });
    if ((await restorer.restore()) !== 'completed') throw new Error('kstreams: the restore did not complete');
    await store.flush();
    const elapsed = performance.now() - started;
    const entries = store.approximateNumEntries();
    if (entries !== RECORDS || store.get(keyOf(RECORDS - 1))?.length !== VALUE_BYTES) throw new Error(`kstreams: restored ${entries} keys, expected exactly ${RECORDS}`);
    return elapsed;
  } finally {
    await store.close();
    await reader.disconnect();
  }
}

/** Raw: a plain kafkajs consumer (its own group) reading the changelog into lmdb-js directly. */
async function restoreWithRawKafkajs({ kafka, topic, directory }: RestoreRun): Promise<number> {
  const root = open<Buffer, Buffer>({ path: directory, maxDbs: 4, keyEncoding: 'binary', encoding: 'binary', overlappingSync: false });
  const database = root.openDB<Buffer, Buffer>('bench', { keyEncoding: 'binary', encoding: 'binary', cache: false, compression: false });
  const consumer = kafka.consumer({ groupId: `restore-raw-${Date.now().toString(36)}`, maxBytesPerPartition: 8 * 1024 * 1024, maxWaitTimeInMs: 100 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let started = 0;
    consumer.on(consumer.events.GROUP_JOIN, () => void (started = performance.now()));
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            root.transactionSync(() => {
              for (const message of batch.messages) database.putSync(message.key!, message.value!);
            });
            seen += batch.messages.length;
            if (seen >= RECORDS) resolve();
          },
        })
        .catch(reject);
    });
    await root.flushed;
    const elapsed = performance.now() - started;
    const entries = database.getCount();
    if (entries !== RECORDS) throw new Error(`raw: restored ${entries} keys, expected exactly ${RECORDS}`);
    return elapsed;
  } finally {
    await consumer.disconnect();
    await root.close();
  }
}

interface RestoreContender {
  readonly name: string;
  readonly restore: (run: RestoreRun) => Promise<number>;
}

// RESTORE_BASE=<checkout> (or `name=<checkout>,...`) adds `kstreams-base` (or `kstreams-<name>`):
// the same restore on that checkout's code (before/after of one change in one run; the checkout
// needs its packages' node_modules).
const BASES = await Promise.all(
  (process.env['RESTORE_BASE'] ?? '')
    .split(',')
    .filter((spec) => spec !== '')
    .map(async (spec) => {
      const [name, checkout] = spec.includes('=') ? (spec.split('=') as [string, string]) : ['base', spec];
      const modules = await modulesOf(checkout);
      return { name: `kstreams-${name}`, restore: (run: RestoreRun) => restoreWithModules(modules, run) };
    }),
);
// RESTORE_CONTENDERS=kstreams (comma-separated names) runs only those, e.g. under --cpu-prof.
const ONLY = process.env['RESTORE_CONTENDERS']?.split(',');
const CONTENDERS: readonly RestoreContender[] = [
  { name: 'raw-kafkajs-lmdb', restore: restoreWithRawKafkajs },
  ...BASES,
  { name: 'kstreams', restore: restoreWithKstreams },
].filter((contender) => ONLY === undefined || ONLY.includes(contender.name));

async function measure(contender: RestoreContender, kafka: Kafka, topic: string, label: string): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), `restore-bench-${contender.name}-`));
  try {
    const elapsedMs = await contender.restore({ kafka, topic, directory });
    const recordsPerSecond = RECORDS / (elapsedMs / 1000);
    const megabytesPerSecond = (RECORDS * (KEY_BYTES + VALUE_BYTES)) / 1e6 / (elapsedMs / 1000);
    log(`  ${contender.name.padEnd(17)} ${label.padEnd(8)} ${Math.round(recordsPerSecond).toLocaleString('en-US').padStart(10)} records/s ${megabytesPerSecond.toFixed(1).padStart(6)} MB/s (${Math.round(elapsedMs)} ms; process RSS ${mebibytes(process.memoryUsage().rss)} MiB, peak so far ${mebibytes(process.resourceUsage().maxRSS * 1024)} MiB)`);
    return recordsPerSecond;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function produceChangelog(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const value = Buffer.alloc(VALUE_BYTES, 7);
    for (let start = 0; start < RECORDS; start += PRODUCE_CHUNK) {
      const messages = Array.from({ length: Math.min(PRODUCE_CHUNK, RECORDS - start) }, (_, offset) => ({ key: keyOf(start + offset), value, partition: 0 }));
      await producer.send({ topic, messages, acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Runs the restore benchmark against a broker it starts (or KAFKA_BROKERS) and writes its results. */
export async function runRestoreBenchmark(): Promise<BenchmarkResult[]> {
  const connection = await useKafka();
  try {
    return await benchmarkOn(connection);
  } finally {
    await connection.close();
  }
}

async function benchmarkOn(connection: KafkaConnection): Promise<BenchmarkResult[]> {
  const kafka = new kafkajs.Kafka({ clientId: 'restore-bench', brokers: connection.brokers, logLevel: logLevel.NOTHING });
  const topic = `restore-bench-${Date.now().toString(36)}-changelog`;
  const producedAt = Date.now();
  await produceChangelog(kafka, topic);
  log(`restore: ${RECORDS.toLocaleString('en-US')} records (${KEY_BYTES} B keys, ${VALUE_BYTES} B values) produced in ${Date.now() - producedAt} ms`);
  for (const contender of CONTENDERS) await measure(contender, kafka, topic, 'warm-up');
  const runs = new Map<string, number[]>(CONTENDERS.map((contender) => [contender.name, []]));
  for (let round = 0; round < MEASURED_RUNS; round++) {
    // Alternate who goes first, so drift on a shared machine hits both alike.
    const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
    for (const contender of order) runs.get(contender.name)?.push(await measure(contender, kafka, topic, `run ${round + 1}`));
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  const megabytes = (recordsPerSecond: number): number => Math.round(((recordsPerSecond * (KEY_BYTES + VALUE_BYTES)) / 1e6) * 10) / 10;
  const contenders = CONTENDERS.map((contender) => summarise(contender.name, runs.get(contender.name) ?? [])).reverse();
  return [
    writeResult({
      benchmark: 'restore',
      unit: 'records/s',
      config: {
        records: RECORDS,
        keyBytes: KEY_BYTES,
        valueBytes: VALUE_BYTES,
        partitions: 1,
        workload: 'restore one compacted changelog partition into a fresh LMDB store; kstreams: KafkajsChangelogReader + StoreChangelogReader + key-value store restore callback; raw: kafkajs consumer + lmdb-js putSync in transactionSync per batch',
        megabytesPerSecond: Object.fromEntries(contenders.map((contender) => [contender.name, megabytes(contender.median)])),
        measuredRuns: MEASURED_RUNS,
        broker: connection.cluster === undefined ? 'KAFKA_BROKERS' : 'local single node',
      },
      contenders,
      baseline: CONTENDERS[0]?.name ?? 'kstreams',
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRestoreBenchmark().then(
    ([result]) => {
      log(`restore ratios: ${JSON.stringify(result?.ratios)}; MB/s ${JSON.stringify(result?.config['megabytesPerSecond'])}`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`restore benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
