import kafkajs, { type Kafka, type Message } from 'kafkajs';
import { keepRecord, PIPE_PRODUCER_CONFIG, transformValue } from './pipeline-workload.js';

const { Partitioners } = kafkajs;

/** A pipeline contender started on one run's topics; `assigned` resolves once it owns its partitions. */
export interface RunningPipe {
  readonly assigned: Promise<number>;
  stop(): Promise<void>;
}

/** What a contender needs for one run. */
export interface PipeRun {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly inputTopic: string;
  readonly outputTopic: string;
  readonly groupId: string;
  readonly commitIntervalMs: number;
  /** The per-record work: the new value, or undefined to drop the record. Default: the pipeline benchmark's filter and upper-casing map. */
  readonly transform?: (value: Buffer) => Buffer | undefined;
}

function pipelineTransform(value: Buffer): Buffer | undefined {
  return keepRecord(value) ? transformValue(value) : undefined;
}

/** Messages waiting to be sent before a fetched batch waits for the producer to catch up. */
const MAX_BUFFERED_MESSAGES = 50_000;

/**
 * Most messages per send: kafkajs 2.2.4 groups a request's messages per partition in quadratic
 * time, so requests beyond a few thousand messages cost more than they save (the kstreams
 * record collector caps its requests the same way).
 */
const MAX_REQUEST_MESSAGES = 2_000;

/**
 * The floor: the same filter and map written by hand on kafkajs, as well as it can be while
 * staying at-least-once. Fetched batches (all partitions concurrently) are transformed into a
 * shared buffer; one send at a time takes what is buffered so far, up to
 * {@link MAX_REQUEST_MESSAGES} (so requests grow while the previous one is in flight, like a
 * producer's linger), and fetching continues meanwhile
 * until {@link MAX_BUFFERED_MESSAGES} wait. Offsets are committed every `commitIntervalMs` and at
 * the end, only after the sends they cover are acknowledged. Keys are partitioned with murmur2.
 */
export async function startRawKafkajsPipe(run: PipeRun): Promise<RunningPipe> {
  const producer = run.kafka.producer({ ...PIPE_PRODUCER_CONFIG, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = run.kafka.consumer({ groupId: run.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  let buffer: Message[] = [];
  let sending: Promise<void> | undefined;
  let sendError: unknown;
  /** Next offset to commit per partition, for records already in the buffer or sent. */
  const pending = new Map<number, string>();
  let lastCommit = Date.now();
  const transform = run.transform ?? pipelineTransform;

  const pump = (): void => {
    if (sending !== undefined || buffer.length === 0) return;
    const messages = buffer.length <= MAX_REQUEST_MESSAGES ? buffer : buffer.slice(0, MAX_REQUEST_MESSAGES);
    buffer = buffer.length <= MAX_REQUEST_MESSAGES ? [] : buffer.slice(MAX_REQUEST_MESSAGES);
    sending = producer.send({ topic: run.outputTopic, acks: -1, messages }).then(
      () => {
        sending = undefined;
        pump();
      },
      (error: unknown) => {
        sendError = error;
        sending = undefined;
      },
    );
  };
  /** Resolves once everything buffered so far is acknowledged. */
  const drained = async (): Promise<void> => {
    while (sending !== undefined || buffer.length > 0) {
      if (sendError !== undefined) throw sendError;
      pump();
      await sending;
    }
    if (sendError !== undefined) throw sendError;
  };
  const commit = async (): Promise<void> => {
    const offsets = [...pending].map(([partition, offset]) => ({ topic: run.inputTopic, partition, offset }));
    pending.clear();
    await drained();
    if (offsets.length > 0) await consumer.commitOffsets(offsets);
    lastCommit = Date.now();
  };

  const assigned = new Promise<number>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve(Date.now()));
  });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: run.inputTopic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 8,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      if (sendError !== undefined) throw sendError;
      for (const message of batch.messages) {
        const value = message.value === null ? undefined : transform(message.value);
        if (value !== undefined) buffer.push({ key: message.key, value, timestamp: message.timestamp });
      }
      pump();
      const lastOffset = batch.lastOffset();
      resolveOffset(lastOffset);
      pending.set(batch.partition, (BigInt(lastOffset) + 1n).toString());
      while (buffer.length > MAX_BUFFERED_MESSAGES && sending !== undefined) await sending;
      if (Date.now() - lastCommit >= run.commitIntervalMs) await commit();
      await heartbeat();
    },
  });

  return {
    assigned,
    async stop() {
      // Commit while the group is still joined (kafkajs cannot commit after stop()).
      consumer.pause([{ topic: run.inputTopic }]);
      await commit();
      await consumer.stop();
      await Promise.all([consumer.disconnect(), producer.disconnect()]);
    },
  };
}
