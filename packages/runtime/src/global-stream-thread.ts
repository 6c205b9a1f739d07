import { changelogPartitionKey, type ChangelogPartition, type ChangelogPartitionReader } from '@kstreams/changelog';
import { GlobalStateTask, Headers, StreamsError, prefixedLogger, type GlobalStoreProvider, type Logger, type RecordCollector, type StateStore, type TaskConfig, type TopologyModel } from '@kstreams/core';
import { GlobalStateManager } from './global-state-manager.js';

/** What a {@link GlobalStreamThread} needs. */
export interface GlobalStreamThreadOptions {
  readonly model: TopologyModel;
  readonly taskConfig: TaskConfig;
  /** A group-less reader of its own (it must not share fetches with restoring threads). */
  readonly reader: ChangelogPartitionReader;
  /** Partition counts of the global topics. */
  readonly partitionCounts: (topics: readonly string[]) => Promise<ReadonlyMap<string, number>>;
  readonly stateDir: string;
  readonly applicationId: string;
  readonly logger: Logger;
  /** Where a dead-letter deserialization handler of a global source writes. */
  readonly collector?: RecordCollector;
  /** How often the stores are flushed and checkpointed while tailing (default 10 s). */
  readonly commitIntervalMs?: number;
  /** How long one tailing fetch waits for new records (default 200 ms). */
  readonly pollWaitMs?: number;
  /** Called once the thread stopped (e.g. to disconnect its reader). */
  readonly onStopped?: () => Promise<void>;
  /** Called when updating the global stores failed while tailing (the thread then stops following). */
  readonly onFatal?: (error: unknown) => void;
}

/** The thread's lifecycle, as Kafka Streams' `GlobalStreamThread.State`. */
export type GlobalStreamThreadState = 'CREATED' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'DEAD';

/**
 * Keeps an instance's global stores current (Kafka Streams' `GlobalStreamThread`): a group-less
 * reader over every partition of each global topic feeds the engine's `GlobalStateTask`.
 * `start()` restores each partition from the checkpoint (or the beginning) up to its end offset
 * and resolves only then, so the instance turns RUNNING with complete global stores; afterwards
 * a background loop tails the topics, flushing and checkpointing every `commitIntervalMs` and on
 * `stop()`. Restoring runs records through the global processor, as new records do.
 */
export class GlobalStreamThread implements GlobalStoreProvider {
  readonly #options: GlobalStreamThreadOptions;
  readonly #task: GlobalStateTask;
  readonly #stateManager: GlobalStateManager;
  readonly #logger: Logger;
  readonly #nextOffsets = new Map<string, { partition: ChangelogPartition; offset: number }>();
  #state: GlobalStreamThreadState = 'CREATED';
  #loop: Promise<void> | undefined;
  #failure: unknown;

  constructor(options: GlobalStreamThreadOptions) {
    this.#options = options;
    this.#logger = prefixedLogger(options.logger, 'global-stream-thread ');
    this.#task = new GlobalStateTask({ model: options.model, config: options.taskConfig, ...(options.collector === undefined ? {} : { collector: options.collector }) });
    this.#stateManager = new GlobalStateManager({ stateDir: options.stateDir, applicationId: options.applicationId, logger: this.#logger });
  }

  /** True when the topology has global stores (the instance then needs this thread). */
  static needed(model: TopologyModel): boolean {
    return GlobalStateTask.needed(model);
  }

  get state(): GlobalStreamThreadState {
    return this.#state;
  }

  /** A global store, for stream tasks (they wrap it in a read-only view). */
  getStore(name: string): StateStore | undefined {
    return this.#task.getStore(name);
  }

  /** Initializes the stores, restores every global partition to its end, then starts tailing. */
  async start(): Promise<void> {
    if (this.#state !== 'CREATED') throw new StreamsError(`The global stream thread can only start once; it is ${this.#state}.`);
    await this.#task.initialize();
    const checkpoint = await this.#stateManager.load(this.#task);
    const partitions = await this.#partitions();
    const beginnings = await this.#options.reader.beginningOffsets(partitions);
    for (const partition of partitions) {
      const key = changelogPartitionKey(partition);
      this.#nextOffsets.set(key, { partition, offset: checkpoint.get(key) ?? beginnings.get(key) ?? 0 });
    }
    const ends = await this.#options.reader.endOffsets(partitions);
    let restored = 0;
    for (const entry of this.#nextOffsets.values()) restored += await this.#restorePartition(entry, ends.get(changelogPartitionKey(entry.partition)) ?? 0);
    await this.#stateManager.checkpoint(this.#task);
    this.#logger.info(`Restored ${restored} records of global topics ${this.#task.topics.join(', ')}; state CREATED -> RUNNING.`);
    this.#state = 'RUNNING';
    this.#loop = this.#tail();
  }

  /** Stops tailing, flushes and checkpoints the stores, and closes them. Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'DEAD') return;
    const wasRunning = this.#state === 'RUNNING';
    this.#state = 'PENDING_SHUTDOWN';
    await this.#loop;
    try {
      if (wasRunning && this.#failure === undefined) await this.#stateManager.checkpoint(this.#task);
    } finally {
      await this.#task.close();
      this.#state = 'DEAD';
      await this.#options.onStopped?.();
    }
  }

  async #partitions(): Promise<ChangelogPartition[]> {
    const topics = this.#task.topics;
    const counts = await this.#options.partitionCounts(topics);
    return topics.flatMap((topic) => {
      const count = counts.get(topic);
      if (count === undefined) throw new StreamsError(`Global topic "${topic}" does not exist. Create it before starting the application.`);
      return Array.from({ length: count }, (_, partition) => ({ topic, partition }));
    });
  }

  /** Reads one partition up to `endOffset`; resolves to the number of records applied. */
  async #restorePartition(entry: { partition: ChangelogPartition; offset: number }, endOffset: number): Promise<number> {
    let applied = 0;
    while (entry.offset < endOffset) {
      const result = await this.#options.reader.read(entry.partition, { fromOffset: entry.offset, untilOffset: endOffset, maxRecords: 1_000 });
      if (result.outOfRange === true) {
        entry.offset = (await this.#options.reader.beginningOffsets([entry.partition])).get(changelogPartitionKey(entry.partition)) ?? 0;
        this.#logger.warn(`Global partition ${changelogPartitionKey(entry.partition)} no longer holds the checkpointed offset; reading from ${entry.offset}.`);
        continue;
      }
      applied += await this.#apply(entry, result.records, result.nextOffset);
    }
    return applied;
  }

  async #apply(entry: { partition: ChangelogPartition; offset: number }, records: readonly { offset: number; key: Uint8Array | null; value: Uint8Array | null; timestamp: number }[], nextOffset: number): Promise<number> {
    for (const record of records) {
      await this.#task.update({ topic: entry.partition.topic, partition: entry.partition.partition, offset: record.offset, key: record.key, value: record.value, timestamp: record.timestamp, headers: new Headers() });
    }
    entry.offset = nextOffset;
    return records.length;
  }

  /** Tails every global partition until stopped, checkpointing every commit interval. */
  async #tail(): Promise<void> {
    const commitIntervalMs = this.#options.commitIntervalMs ?? 10_000;
    let lastCommit = Date.now();
    try {
      const pollWaitMs = this.#options.pollWaitMs ?? 200;
      while (this.#state === 'RUNNING') {
        let applied = 0;
        for (const entry of this.#nextOffsets.values()) {
          if (this.#state !== 'RUNNING') break;
          const result = await this.#options.reader.read(entry.partition, { fromOffset: entry.offset, maxRecords: 1_000, maxWaitMs: pollWaitMs });
          if (result.outOfRange !== true) applied += await this.#apply(entry, result.records, result.nextOffset);
        }
        // A reader that returns at once when idle must not spin the event loop.
        if (applied === 0 && this.#state === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, pollWaitMs));
        if (Date.now() - lastCommit >= commitIntervalMs) {
          await this.#stateManager.checkpoint(this.#task);
          lastCommit = Date.now();
        }
      }
    } catch (error) {
      this.#failure = error;
      this.#logger.error('Updating the global stores failed; they stop following their topics.', { error });
      this.#options.onFatal?.(error);
    }
  }
}
