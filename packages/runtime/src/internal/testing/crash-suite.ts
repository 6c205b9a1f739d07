import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkajsClientFactory } from '../../kafka/kafkajs-client-factory.js';
import type { ChangelogReaderClient, KafkaAdmin } from '../../kafka/kafka-client.js';
import { StreamsConfig, type ProcessingGuarantee } from '../../streams-config.js';
import type { CrashChildOptions } from './crash-child-app.js';
import { CrashInstances } from './crash-instances.js';
import { crashInputRecord, trueSums } from './crash-input.js';
import { checkCrashOutput, readCommittedTopic, type CrashOutputCheck } from './crash-output-check.js';
import { killRandomly, type CrashKill } from './crash-kills.js';
import { readStoreSums } from './crash-store-sums.js';
import { SUMS_STORE } from './running-sum-topology.js';

/** Options of {@link runCrashSuite}. */
export interface CrashSuiteOptions {
  readonly brokers: readonly string[];
  readonly processingGuarantee: ProcessingGuarantee;
  /** Input records produced, at a steady rate over `produceDurationMs`. */
  readonly records: number;
  readonly produceDurationMs: number;
  /** SIGKILLs, at random moments while the input is produced (each victim restarts on its state directory). */
  readonly kills: number;
  /** Where state directories and instance logs go. */
  readonly workDir: string;
  readonly applicationId: string;
  readonly seed: number;
  readonly instances?: number;
  readonly keys?: number;
  readonly partitions?: number;
  readonly commitIntervalMs?: number;
  /** The instances' log level (their logs go to `<workDir>/logs`); default `warn`. */
  readonly logLevel?: CrashChildOptions['logLevel'];
  /** How long to wait, after the last record is produced, for the group to commit everything. */
  readonly settleTimeoutMs?: number;
  /** Progress lines (one per kill, phase changes). */
  readonly log?: (line: string) => void;
}

/** What a crash run did and found. */
export interface CrashSuiteResult {
  readonly check: CrashOutputCheck;
  readonly kills: readonly CrashKill[];
  /** Instances that exited without being killed (they were restarted); each names its log. */
  readonly unexpectedExits: readonly string[];
  /** Tasks whose stores no state directory holds with a checkpoint after the clean stop (their sums count as wrong). */
  readonly uncheckpointedTasks: readonly string[];
  /** Input records in the input topic (must equal `records`: the harness's producer is idempotent). */
  readonly inputRecords: number;
  readonly durationMs: number;
  readonly logDir: string;
}

/**
 * Runs the crash suite: `instances` child processes of the running-sum app (crash-child-app.ts)
 * consume `records` input records produced at a steady rate, while random instances are killed
 * with SIGKILL and restarted; once the group has committed the whole input, every instance is
 * stopped cleanly and the output topic, the store's changelog and the LMDB stores are checked
 * against the true sums.
 */
export async function runCrashSuite(options: CrashSuiteOptions): Promise<CrashSuiteResult> {
  const started = Date.now();
  const settings = { instances: 3, keys: 1_000, partitions: 6, commitIntervalMs: 100, logLevel: 'warn' as const, settleTimeoutMs: 300_000, log: () => undefined, ...options };
  const input = `${options.applicationId}-input`;
  const output = `${options.applicationId}-output`;
  const logDir = join(options.workDir, 'logs');
  const stateDirs = Array.from({ length: settings.instances }, (_, index) => join(options.workDir, `state-${index}`));
  for (const directory of [logDir, ...stateDirs]) await mkdir(directory, { recursive: true });
  const tools = await connectTools(options.brokers, options.applicationId);
  const { applicationId, processingGuarantee, commitIntervalMs, logLevel } = settings;
  const instances = new CrashInstances({ brokers: options.brokers, applicationId, processingGuarantee, commitIntervalMs, logLevel, input, output, stateDirs, logDir });
  try {
    await tools.admin.createTopics([input, output].map((topic) => ({ topic, numPartitions: settings.partitions, replicationFactor: -1 })));
    for (let index = 0; index < settings.instances; index++) instances.start(index);
    const [, kills] = await Promise.all([
      produceSteadily(tools.kafka, input, settings),
      killRandomly(instances, { kills: options.kills, windowMs: options.produceDurationMs, seed: options.seed, log: settings.log }),
    ]);
    settings.log(`all ${options.records} records produced and ${options.kills} kills done; waiting for the group to commit everything`);
    await waitUntilSettled(tools.admin, options.applicationId, input, output, instances, settings.settleTimeoutMs);
    await instances.stopAll();
    const found = await inspectRun(tools.reader, { ...settings, input, output, stateDirs });
    return { ...found, kills, unexpectedExits: instances.unexpectedExits, durationMs: Date.now() - started, logDir };
  } finally {
    await instances.destroy();
    await tools.close();
  }
}

/** Reads the input, output and changelog topics and the stores, and checks them against the true sums. */
async function inspectRun(reader: ChangelogReaderClient, run: { applicationId: string; input: string; output: string; stateDirs: readonly string[]; partitions: number; records: number; keys: number }) {
  const [input, output, changelog] = await Promise.all(
    [run.input, run.output, `${run.applicationId}-${SUMS_STORE}-changelog`].map((topic) => readCommittedTopic(reader, topic, run.partitions)),
  );
  const stores = await readStoreSums(run.stateDirs, run.applicationId, run.partitions);
  return {
    check: checkCrashOutput({ expected: run.records, trueSums: trueSums(run.records, run.keys), output: output!, changelog: changelog!, storeSums: stores.sums }),
    inputRecords: input!.reduce((sum, partition) => sum + partition.length, 0),
    uncheckpointedTasks: stores.uncheckpointedTasks,
  };
}

/** The harness's own clients: an idempotent producer (a retried send must not duplicate input), an admin and a read_committed reader. */
async function connectTools(brokers: readonly string[], applicationId: string) {
  const kafka = new Kafka({ clientId: `${applicationId}-harness`, brokers: [...brokers], logLevel: logLevel.NOTHING });
  const factory = new KafkajsClientFactory(new StreamsConfig({ applicationId: `${applicationId}-harness`, bootstrapServers: brokers }));
  const admin: KafkaAdmin = factory.createAdmin();
  const reader: ChangelogReaderClient = factory.createChangelogReader();
  await admin.connect();
  return { kafka, admin, reader, close: async () => void (await Promise.allSettled([admin.disconnect(), reader.disconnect()])) };
}

/** Produces input records 0 … `records` - 1 evenly over `produceDurationMs`, in batches every 100 ms. */
async function produceSteadily(kafka: Kafka, topic: string, settings: { records: number; produceDurationMs: number; keys: number; partitions: number }): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const start = Date.now();
    for (let next = 0; next < settings.records; ) {
      const due = Math.min(settings.records, Math.ceil((settings.records * (Date.now() - start + 100)) / settings.produceDurationMs));
      const messages = [];
      for (; next < due; next++) {
        const record = crashInputRecord(next, settings.keys);
        messages.push({ partition: record.keyIndex % settings.partitions, key: record.key, value: JSON.stringify(record.value) });
      }
      if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Waits until every instance runs, the group has committed the end of every input partition and
 * the output topic stopped growing, restarting any instance that died by itself meanwhile.
 */
async function waitUntilSettled(admin: KafkaAdmin, groupId: string, input: string, output: string, instances: CrashInstances, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previousOutputEnd = -1;
  for (;;) {
    for (let index = 0; index < instances.count; index++) instances.start(index);
    const [committed, inputEnds, outputEnds] = await Promise.all([admin.committedOffsets(groupId, [input]), admin.endOffsets(input), admin.endOffsets(output)]);
    const caughtUp = instances.allRunning() && inputEnds.every((end) => committed.find((offset) => offset.partition === end.partition)?.offset === end.offset);
    const outputEnd = outputEnds.reduce((sum, end) => sum + end.offset, 0);
    if (caughtUp && outputEnd === previousOutputEnd) return;
    previousOutputEnd = caughtUp ? outputEnd : -1;
    if (Date.now() > deadline) {
      const lag = inputEnds.map((end) => end.offset - Math.max(0, committed.find((offset) => offset.partition === end.partition)?.offset ?? 0));
      throw new Error(`The group did not commit the whole input within ${timeoutMs} ms (uncommitted records per input partition: ${lag.join(', ')}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
