import { fetchRequest, kafkaErrorCode, readRecordBatches, type FetchPartitionResponse, type FetchResponse } from '@kstreams/kafka-protocol';
import { StreamsError } from '@kstreams/core';
import type { Logger } from '../../internal/engine-ports.js';
import { partitionKey, type ConsumedBatch, type ConsumedRecord, type TopicPartition } from '../kafka-client.js';
import { READ_COMMITTED, type InternalBroker, type InternalCluster } from '../kafkajs-private-cluster.js';
import { FetchedRecord } from './fetched-record.js';

/** Fetch sizes and waits (Java's `fetch.max.wait.ms`, `max.partition.fetch.bytes`, `fetch.max.bytes`). */
export interface FetchOptions {
  readonly maxWaitMs: number;
  readonly maxBytesPerPartition: number;
  readonly maxBytes: number;
  /** Fetch uncommitted records too (default: read_committed). */
  readonly readUncommitted: boolean;
}

interface PartitionState {
  readonly partition: TopicPartition;
  /** Next offset to fetch; undefined until the position is known. */
  position: number | undefined;
  paused: boolean;
  /** Bumped whenever the position is set from outside, so fetches in flight are discarded. */
  epoch: number;
}

const ERROR_BACKOFF_MS = 200;
const IDLE_WAIT_MS = 100;
/** Fetched responses of one partition that may wait for the stream thread (Java's fetcher keeps one; two keep a fetch in flight meanwhile). */
const MAX_READY_PER_PARTITION = 2;

/**
 * Fetches the assigned, unpaused partitions from their leaders (one request in flight per
 * broker, as Java's fetcher), read_committed: aborted transactions and control records are
 * dropped. Completed fetches wait in a queue until the stream thread takes them with
 * {@link drain}; a fetch whose partition was revoked, re-assigned or sought meanwhile is
 * discarded, so no record of a partition the member no longer owns reaches a task.
 */
export class PartitionFetcher {
  readonly #cluster: InternalCluster;
  readonly #options: FetchOptions;
  readonly #logger: Logger;
  readonly #onData: () => void;
  readonly #partitions = new Map<string, PartitionState>();
  readonly #ready: { batch: ConsumedBatch; state: PartitionState; epoch: number }[] = [];
  readonly #inFlight = new Set<string>();
  /** How many fetched batches of each partition wait in {@link #ready}. */
  readonly #readyCounts = new Map<PartitionState, number>();
  readonly #knownTopics = new Set<string>();
  #running = false;
  /** Set when fetched bytes could not be read (corrupt batch, unsupported codec); {@link drain} throws it. */
  #failure: UnreadableFetchError | undefined;
  #loop: Promise<void> | undefined;
  #wakeLoop: (() => void) | undefined;

  constructor(cluster: InternalCluster, options: FetchOptions, logger: Logger, onData: () => void) {
    this.#cluster = cluster;
    this.#options = options;
    this.#logger = logger;
    this.#onData = onData;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake();
    await this.#loop;
  }

  /**
   * Sets the partitions to fetch. Partitions kept keep their position and pause state; new ones
   * start paused and without a position (see {@link seek}, {@link resume}), so nothing is fetched
   * for a task before it is ready.
   */
  assign(partitions: readonly TopicPartition[]): void {
    const wanted = new Set(partitions.map(partitionKey));
    for (const key of this.#partitions.keys()) if (!wanted.has(key)) this.#partitions.delete(key);
    for (const partition of partitions) {
      const key = partitionKey(partition);
      if (!this.#partitions.has(key)) this.#partitions.set(key, { partition, position: undefined, paused: true, epoch: 0 });
    }
    this.#wake();
  }

  /** Partitions assigned that have no position yet. */
  withoutPosition(): TopicPartition[] {
    return [...this.#partitions.values()].filter((state) => state.position === undefined).map((state) => state.partition);
  }

  seek(partition: TopicPartition, offset: number): void {
    const state = this.#partitions.get(partitionKey(partition));
    if (state === undefined) return;
    state.position = offset;
    state.epoch++;
    this.#wake();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const partition of partitions) {
      const state = this.#partitions.get(partitionKey(partition));
      if (state !== undefined) state.paused = true;
    }
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const partition of partitions) {
      const state = this.#partitions.get(partitionKey(partition));
      if (state !== undefined) state.paused = false;
    }
    this.#wake();
  }

  paused(): TopicPartition[] {
    return [...this.#partitions.values()].filter((state) => state.paused).map((state) => state.partition);
  }

  /** The fetched batches of partitions still assigned at the position they were fetched for. */
  drain(): ConsumedBatch[] {
    if (this.#failure !== undefined) throw this.#failure;
    const batches: ConsumedBatch[] = [];
    if (this.#ready.length === 0) return batches;
    this.#readyCounts.clear();
    this.#wake();
    for (const { batch, state, epoch } of this.#ready.splice(0)) {
      if (this.#partitions.get(partitionKey(batch)) === state && state.epoch === epoch) batches.push(batch);
    }
    return batches;
  }

  #wake(): void {
    const wake = this.#wakeLoop;
    this.#wakeLoop = undefined;
    wake?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      // A partition with MAX_READY_PER_PARTITION fetched responses waiting to be drained is not fetched
      // again: memory stays bounded while the stream thread is busy, and the next response is on its way.
      const fetchable = [...this.#partitions.values()].filter(
        (state) => !state.paused && state.position !== undefined && !this.#inFlight.has(partitionKey(state.partition)) && (this.#readyCounts.get(state) ?? 0) < MAX_READY_PER_PARTITION,
      );
      const byLeader = fetchable.length === 0 ? new Map<string, PartitionState[]>() : await this.#groupByLeader(fetchable);
      for (const [nodeId, states] of byLeader) {
        if (this.#inFlight.has(`node:${nodeId}`)) continue;
        void this.#fetchFrom(nodeId, states);
      }
      await new Promise<void>((resolve) => {
        this.#wakeLoop = resolve;
        setTimeout(resolve, IDLE_WAIT_MS).unref();
      });
    }
  }

  async #groupByLeader(states: readonly PartitionState[]): Promise<Map<string, PartitionState[]>> {
    const topics = [...new Set(states.map((state) => state.partition.topic))];
    const missing = topics.filter((topic) => !this.#knownTopics.has(topic));
    const grouped = new Map<string, PartitionState[]>();
    try {
      if (missing.length > 0) {
        await this.#cluster.addMultipleTargetTopics(missing);
        for (const topic of missing) this.#knownTopics.add(topic);
      }
      for (const topic of topics) {
        const ofTopic = states.filter((state) => state.partition.topic === topic);
        const leaders = this.#cluster.findLeaderForPartitions(topic, ofTopic.map((state) => state.partition.partition));
        for (const [nodeId, partitions] of Object.entries(leaders)) {
          const list = grouped.get(nodeId) ?? [];
          list.push(...ofTopic.filter((state) => partitions.includes(state.partition.partition)));
          grouped.set(nodeId, list);
        }
      }
    } catch (error) {
      this.#logger.warn('Reading partition leaders failed; retrying.', { error });
      await sleep(ERROR_BACKOFF_MS);
    }
    return grouped;
  }

  async #fetchFrom(nodeId: string, states: readonly PartitionState[]): Promise<void> {
    const nodeKey = `node:${nodeId}`;
    const keys = states.map((state) => partitionKey(state.partition));
    this.#inFlight.add(nodeKey);
    for (const key of keys) this.#inFlight.add(key);
    const requested = states.map((state) => ({ state, position: state.position!, epoch: state.epoch }));
    try {
      const broker = await this.#cluster.findBroker({ nodeId });
      const response = await this.#send(broker, requested);
      let failed: unknown;
      for (const { topic, partitions } of response.topics) {
        for (const data of partitions) {
          const entry = requested.find(({ state }) => state.partition.topic === topic && state.partition.partition === data.partition);
          if (entry === undefined) continue;
          if (data.errorCode === 0) this.#accept(entry, data);
          else failed ??= partitionError(topic, data);
        }
      }
      if (failed !== undefined) await this.#fetchFailed(failed, requested);
    } catch (error) {
      await this.#fetchFailed(error, requested);
    } finally {
      this.#inFlight.delete(nodeKey);
      for (const key of keys) this.#inFlight.delete(key);
      this.#wake();
    }
  }

  /** One Fetch request of our own (kstreams' decoder: record bytes stay views, offsets are numbers). */
  #send(broker: InternalBroker, requested: readonly { state: PartitionState; position: number }[]): Promise<FetchResponse> {
    const byTopic = new Map<string, { partition: number; fetchOffset: number; maxBytes: number }[]>();
    for (const { state, position } of requested) {
      const list = byTopic.get(state.partition.topic) ?? [];
      list.push({ partition: state.partition.partition, fetchOffset: position, maxBytes: this.#options.maxBytesPerPartition });
      byTopic.set(state.partition.topic, list);
    }
    const request = fetchRequest({
      isolationLevel: this.#options.readUncommitted ? 0 : READ_COMMITTED,
      maxWaitMs: this.#options.maxWaitMs,
      minBytes: 1,
      maxBytes: this.#options.maxBytes,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
    return (broker.connectionPool as unknown as { send(request: KafkajsFetchRequest): Promise<FetchResponse> }).send(request);
  }

  #accept(entry: { state: PartitionState; position: number; epoch: number }, data: FetchPartitionResponse): void {
    const { state, position, epoch } = entry;
    if (this.#partitions.get(partitionKey(state.partition)) !== state || state.epoch !== epoch || state.position !== position) return;
    const { topic, partition } = state.partition;
    let read: ReturnType<typeof readRecordBatches<ConsumedRecord>>;
    try {
      read = readRecordBatches(
        data.records,
        position,
        data.abortedTransactions,
        (offset, timestamp, bytes, keyStart, keyLength, valueStart, valueLength, headers): ConsumedRecord =>
          new FetchedRecord(topic, partition, offset, timestamp, { bytes, keyStart, keyLength, valueStart, valueLength, headers }),
      );
    } catch (error) {
      // Corrupt or unreadable record data is not retried: like Java's consumer, the next poll fails.
      this.#failure ??= new UnreadableFetchError(topic, partition, position, error);
      state.paused = true;
      this.#onData();
      return;
    }
    const { records, nextOffset: batchesEndOffset } = read;
    if (batchesEndOffset === undefined) return;
    state.position = Math.max(position, batchesEndOffset);
    if (records.length === 0) return;
    this.#ready.push({ batch: { topic, partition, records, highWatermark: data.highWatermark }, state, epoch });
    this.#readyCounts.set(state, (this.#readyCounts.get(state) ?? 0) + 1);
    this.#onData();
  }

  async #fetchFailed(error: unknown, requested: readonly { state: PartitionState; position: number; epoch: number }[]): Promise<void> {
    const { name, topic, partition } = error as { name?: string; topic?: string; partition?: number };
    if (name === 'KafkaJSOffsetOutOfRange' && topic !== undefined) {
      const entry = requested.find(({ state }) => state.partition.topic === topic && state.partition.partition === partition);
      if (entry !== undefined && entry.state.epoch === entry.epoch) {
        this.#logger.warn(`Offset ${entry.position} of ${topic}-${partition} is out of range; resetting to the earliest offset (auto.offset.reset=earliest).`);
        entry.state.position = undefined;
        this.#onData();
      }
      return;
    }
    if (!this.#running) return;
    this.#logger.debug?.('A fetch failed; refreshing metadata and retrying.', { error });
    await this.#cluster.refreshMetadata().catch(() => undefined);
    await sleep(ERROR_BACKOFF_MS);
  }
}

type KafkajsFetchRequest = ReturnType<typeof fetchRequest>;

/** Fetched record data of a partition could not be read (corrupt batch, unsupported codec); not retriable. */
export class UnreadableFetchError extends StreamsError {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;

  constructor(topic: string, partition: number, offset: number, cause: unknown) {
    super(`Records of ${topic}-${partition} fetched from offset ${offset} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }
}

/** A partition's fetch error as the error shape {@link PartitionFetcher} handles (kafkajs' names). */
function partitionError(topic: string, data: FetchPartitionResponse): Error & { topic: string; partition: number } {
  const { name } = kafkaErrorCode(data.errorCode);
  const error = new Error(`Fetching ${topic}-${data.partition} failed: ${name}`) as Error & { topic: string; partition: number };
  error.name = data.errorCode === 1 ? 'KafkaJSOffsetOutOfRange' : `Kafka ${name}`;
  error.topic = topic;
  error.partition = data.partition;
  return error;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
