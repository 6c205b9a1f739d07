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
}

/** Sends that may be in flight before the pipe waits for the oldest. */
const MAX_SENDS_IN_FLIGHT = 16;

/**
 * The floor: the same filter and map written by hand on kafkajs, as well as it can be while
 * staying at-least-once. Each fetched batch is transformed and sent without waiting for
 * earlier sends (up to {@link MAX_SENDS_IN_FLIGHT}), so fetching overlaps producing; offsets
 * are committed every `commitIntervalMs` and at the end, only after the sends they cover are
 * acknowledged. Partitions are processed concurrently, keys are partitioned with murmur2.
 */
export async function startRawKafkajsPipe(run: PipeRun): Promise<RunningPipe> {
  const producer = run.kafka.producer({ ...PIPE_PRODUCER_CONFIG, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = run.kafka.consumer({ groupId: run.groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  const inFlight = new Set<Promise<unknown>>();
  /** Next offset to commit per partition, for records whose sends were started. */
  const pending = new Map<number, string>();
  let lastCommit = Date.now();

  const commit = async (): Promise<void> => {
    const offsets = [...pending].map(([partition, offset]) => ({ topic: run.inputTopic, partition, offset }));
    pending.clear();
    await Promise.all(inFlight);
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
      const messages: Message[] = [];
      for (const message of batch.messages) {
        if (message.value === null || !keepRecord(message.value)) continue;
        messages.push({ key: message.key, value: transformValue(message.value), timestamp: message.timestamp });
      }
      if (messages.length > 0) {
        const send: Promise<unknown> = producer.send({ topic: run.outputTopic, acks: -1, messages }).finally(() => inFlight.delete(send));
        inFlight.add(send);
      }
      const lastOffset = batch.lastOffset();
      resolveOffset(lastOffset);
      pending.set(batch.partition, (BigInt(lastOffset) + 1n).toString());
      while (inFlight.size > MAX_SENDS_IN_FLIGHT) await Promise.race(inFlight);
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
