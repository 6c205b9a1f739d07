import { StreamsError, TopologyError } from '../errors/streams-error.js';
import { PunctuationType } from '../processor/punctuation.js';
import { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import { formatTaskId, type TaskId } from '../processor/task-id.js';
import type { StateStore } from '../state/state-store.js';
import type { SubtopologyModel, TopologyModel } from '../topology/topology-model.js';
import { systemClock } from './clock.js';
import type { RawRecord } from './deserialization-exception-handler.js';
import { InProcessStateManager } from './in-process-state-manager.js';
import { noopLogger, prefixedLogger, type Logger } from './logger.js';
import { chain, type MaybePromise } from './maybe-promise.js';
import { PartitionQueue } from './partition-queue.js';
import { readOnlyGlobalStore } from './read-only-global-store.js';
import type { RecordCollector } from './record-collector.js';
import type { StateManager, StateManagerHooks } from './state-manager.js';
import type { TaskConfig } from './task-config.js';
import { TaskEngine } from './task-engine.js';
import { TaskMetrics } from './task-metrics.js';

/** The lifecycle of a task; `close()` from any state ends in CLOSED. */
export type TaskState = 'CREATED' | 'RUNNING' | 'CLOSED';

/** What a {@link StreamTask} is built from. */
export interface StreamTaskOptions {
  readonly taskId: TaskId;
  readonly model: TopologyModel;
  readonly config: TaskConfig;
  readonly collector: RecordCollector;
  /** Default: an {@link InProcessStateManager} with `stateManagerHooks`. */
  readonly stateManager?: StateManager;
  readonly stateManagerHooks?: StateManagerHooks;
  /** The instance's global stores (a {@link GlobalStateTask}); processors get read-only views. */
  readonly globalStores?: GlobalStoreProvider;
}

/** Where a task finds the application's global stores. */
export interface GlobalStoreProvider {
  getStore(name: string): StateStore | undefined;
}

/** The next offset to consume per input partition (last processed + 1). */
export interface ConsumedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The partition's time (highest timestamp seen), committed as offset metadata; tasks set it. */
  readonly partitionTimeMs?: number;
}

/**
 * One partition index of one sub-topology: buffers the records of its input partitions, picks
 * the head record with the lowest timestamp, runs it through the sub-topology, punctuates and
 * prepares commits. The Kafka runtime and the test driver both drive this class, so a topology
 * runs the same code in tests and production. Stays synchronous unless a processor, punctuator
 * or store returns a promise.
 *
 * @example
 * const task = new StreamTask({ taskId: { subtopology: 0, partition: 0 }, model, config, collector });
 * await task.initialize();
 * task.addRecords('input', 0, rawRecords);
 * await task.process();
 * const offsets = await task.prepareCommit();
 */
export class StreamTask {
  readonly id: TaskId;
  readonly idText: string;
  readonly metrics: TaskMetrics;
  readonly #options: StreamTaskOptions;
  readonly #subtopology: SubtopologyModel;
  readonly #stateManager: StateManager;
  readonly #engine: TaskEngine;
  readonly #queues = new Map<string, PartitionQueue>();
  readonly #logger: Logger;
  readonly #globalViews = new Map<string, StateStore>();
  #state: TaskState = 'CREATED';
  #streamTimeMs = -1;
  /** Timestamp of the source record being processed; stores stamp changelog writes with it. */
  #recordTimestampMs: number | undefined;
  #currentRecord: RecordMetadata | undefined;
  #commitNeeded = false;
  #commitRequested = false;

  constructor(options: StreamTaskOptions) {
    this.#options = options;
    this.id = options.taskId;
    this.idText = formatTaskId(options.taskId);
    const subtopology = options.model.subtopologies.find((candidate) => candidate.id === options.taskId.subtopology);
    if (subtopology === undefined) {
      throw new TopologyError(`Task ${this.idText} refers to sub-topology ${options.taskId.subtopology}, which the topology does not have.`, { taskId: this.idText });
    }
    this.#subtopology = subtopology;
    this.metrics = new TaskMetrics(this.idText, options.config.metrics);
    this.#stateManager = options.stateManager ?? this.#defaultStateManager();
    this.#logger = prefixedLogger(options.config.logger ?? noopLogger, `task [${this.idText}] `);
    this.#engine = new TaskEngine({
      taskId: options.taskId,
      taskIdText: this.idText,
      config: options.config,
      model: options.model,
      subtopology,
      collector: options.collector,
      metrics: this.metrics,
      view: {
        streamTimeMs: () => this.#streamTimeMs,
        recordMetadata: () => this.#currentRecord,
        setRecordMetadata: (metadata) => {
          this.#currentRecord = metadata;
        },
        requestCommit: () => {
          this.#commitRequested = true;
        },
        markCommitNeeded: () => {
          this.#commitNeeded = true;
        },
        store: (name) => this.#stateManager.getStore(name),
        globalStore: (name) => this.#globalStore(name),
      },
    });
  }

  get state(): TaskState {
    return this.#state;
  }

  /** The highest timestamp processed so far (-1 before the first record); never decreases. */
  get streamTimeMs(): number {
    return this.#streamTimeMs;
  }

  /** True when records were processed or dropped, or punctuators ran, since the last commit. */
  get commitNeeded(): boolean {
    if (this.#commitNeeded) return true;
    for (const queue of this.#queues.values()) if (queue.consumedSinceCommit) return true;
    return false;
  }

  /**
   * Sets a partition's time from its committed metadata before any record is processed; stream
   * time starts at the highest of them (as Kafka Streams does at task initialisation).
   */
  initializePartitionTime(topic: string, partition: number, timeMs: number): void {
    this.#queue(topic, partition).initializePartitionTime(timeMs);
    this.#streamTimeMs = Math.max(this.#streamTimeMs, timeMs);
  }

  /** True when a processor called `context.commit()` since the last commit. */
  get commitRequested(): boolean {
    return this.#commitRequested;
  }

  /** Builds and initialises the stores, then the processors (in topological order). */
  initialize(): MaybePromise<void> {
    if (this.#state !== 'CREATED') return undefined;
    const stores = this.#subtopology.stores.flatMap((name) => {
      const store = this.#options.model.stores.get(name);
      return store === undefined ? [] : [store];
    });
    return chain(this.#stateManager.initialize(stores), () =>
      chain(this.#engine.initNodes(), () => {
        this.#state = 'RUNNING';
        this.#logger.info('Initialized; state CREATED -> RUNNING.');
      }),
    );
  }

  /** Buffers consumed records of one input partition (in offset order). */
  addRecords(topic: string, partition: number, records: readonly RawRecord[]): void {
    this.#queue(topic, partition).add(records);
  }

  /** Records buffered for a partition, or for all partitions of the task (back-pressure). */
  bufferedRecordCount(topic?: string, partition?: number): number {
    if (topic !== undefined) return this.#queues.get(`${topic}\u0000${partition ?? 0}`)?.size ?? 0;
    let total = 0;
    for (const queue of this.#queues.values()) total += queue.size;
    return total;
  }

  /** True when a buffered record can be processed now. */
  isProcessable(): boolean {
    return this.#nextQueue() !== undefined;
  }

  /**
   * Processes up to `maxRecords` buffered records, lowest head timestamp first, with stream-time
   * and wall-clock punctuation checked after each record. Batch processors are flushed before
   * each punctuation and before this call returns. Resolves to the number of records processed.
   */
  process(maxRecords = Number.POSITIVE_INFINITY): MaybePromise<number> {
    this.#requireRunning('process records');
    return this.#processFrom(0, maxRecords);
  }

  /** Runs due wall-clock punctuators (call between batches); resolves to whether any ran. */
  maybePunctuateWallClock(): MaybePromise<boolean> {
    this.#requireRunning('punctuate');
    return this.#engine.punctuate(PunctuationType.WALL_CLOCK_TIME, this.#options.config.clock?.nowMs() ?? systemClock.nowMs());
  }

  /**
   * First half of a commit: flushes batch processors, then the stores (caches first), and returns
   * the offsets to commit. The host then flushes the collector and commits, then calls
   * {@link postCommit}.
   */
  prepareCommit(options: { readonly flushStores?: boolean } = {}): MaybePromise<readonly ConsumedOffset[]> {
    this.#requireRunning('commit');
    // As Kafka Streams: a host that commits offsets flushes only the caches now (their writes reach the
    // changelog before the offsets), and makes the stores durable after the commit ({@link flushStores}).
    const flushCachesOnly = options.flushStores === false && this.#stateManager.flushCaches !== undefined;
    return chain(this.#engine.flushBatches(), () => chain(flushCachesOnly ? this.#stateManager.flushCaches!() : this.#stateManager.flush(), () => this.consumedOffsets()));
  }

  /** Flushes caches and stores (durable): after a commit, before the checkpoint. */
  flushStores(): MaybePromise<void> {
    return this.#stateManager.flush();
  }

  /** Second half of a commit: clears the commit flags. */
  postCommit(): void {
    this.#commitNeeded = false;
    this.#commitRequested = false;
    for (const queue of this.#queues.values()) queue.markCommitted();
  }

  /** The next offset to consume of every partition that had records consumed. */
  consumedOffsets(): ConsumedOffset[] {
    const offsets: ConsumedOffset[] = [];
    for (const queue of this.#queues.values()) {
      const offset = queue.committableOffset;
      if (offset !== undefined) offsets.push({ topic: queue.topic, partition: queue.partition, offset, partitionTimeMs: queue.partitionTimeMs });
    }
    return offsets;
  }

  /** A store of this task, by name. */
  getStore(name: string): StateStore | undefined {
    return this.#stateManager.getStore(name);
  }

  /** Every store of this task. */
  stores(): ReadonlyMap<string, StateStore> {
    return this.#stateManager.stores();
  }

  /**
   * Closes cleanly: flushes batch processors and the stores' caches while the processors can
   * still receive what the caches forward, then closes the processors, then the stores. Drops
   * buffered records. Idempotent; `close()` is the same.
   */
  closeClean(): MaybePromise<void> {
    if (this.#state === 'CLOSED') return undefined;
    const previous = this.#state;
    if (previous !== 'RUNNING') return this.#closeFrom(previous, {});
    return chain(this.#engine.flushBatches(), () => chain(this.#stateManager.flush(), () => this.#closeFrom(previous, {})));
  }

  /**
   * Closes without flushing anything (the task lost its partitions or failed): cached writes
   * are dropped, so nothing more reaches the stores' changelogs. Idempotent.
   */
  closeDirty(): MaybePromise<void> {
    if (this.#state === 'CLOSED') return undefined;
    return this.#closeFrom(this.#state, { dirty: true });
  }

  /** Same as {@link closeClean}. */
  close(): MaybePromise<void> {
    return this.closeClean();
  }

  #closeFrom(previous: TaskState, options: { dirty?: boolean }): MaybePromise<void> {
    this.#state = 'CLOSED';
    for (const queue of this.#queues.values()) queue.clear();
    const closedNodes = previous === 'RUNNING' ? this.#engine.closeNodes() : undefined;
    return chain(closedNodes, () => chain(this.#stateManager.close(options), () => this.#logger.info(`Closed${options.dirty === true ? ' dirty' : ''}; state ${previous} -> CLOSED.`)));
  }

  #processFrom(processed: number, maxRecords: number): MaybePromise<number> {
    let count = processed;
    while (count < maxRecords) {
      const queue = this.#nextQueue();
      if (queue === undefined) break;
      const stamped = queue.poll();
      if (stamped === undefined) break;
      count++;
      this.#streamTimeMs = Math.max(this.#streamTimeMs, stamped.timestamp);
      this.#currentRecord = { topic: stamped.raw.topic, partition: stamped.raw.partition, offset: stamped.raw.offset };
      this.#recordTimestampMs = stamped.timestamp;
      const record = new Record(stamped.key, stamped.value, stamped.timestamp, stamped.raw.headers);
      const processed = this.#engine.processRecord(this.#engine.sourceFor(stamped.raw.topic), record);
      const result = processed === undefined ? this.#afterRecord() : processed.then(() => this.#afterRecord());
      if (result !== undefined) return result.then(() => this.#processFrom(count, maxRecords));
    }
    return chain(this.#engine.flushBatches(), () => count);
  }

  #afterRecord(): MaybePromise<void> {
    this.#currentRecord = undefined;
    this.#recordTimestampMs = undefined;
    this.#commitNeeded = true;
    const streamPunctuated = this.#engine.punctuate(PunctuationType.STREAM_TIME, this.#streamTimeMs);
    if (streamPunctuated === false || streamPunctuated === true) {
      // Synchronous (the common case): no closures per record.
      const wallPunctuated = this.maybePunctuateWallClock();
      return wallPunctuated === false || wallPunctuated === true ? undefined : wallPunctuated.then(() => undefined);
    }
    return streamPunctuated.then(() => chain(this.maybePunctuateWallClock(), () => undefined));
  }

  #nextQueue(): PartitionQueue | undefined {
    let best: PartitionQueue | undefined;
    let bestTimestamp = Number.POSITIVE_INFINITY;
    for (const queue of this.#queues.values()) {
      const head = queue.head();
      if (head !== undefined && head.timestamp < bestTimestamp) {
        best = queue;
        bestTimestamp = head.timestamp;
      }
    }
    return best;
  }

  #queue(topic: string, partition: number): PartitionQueue {
    const key = `${topic}\u0000${partition}`;
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = new PartitionQueue(topic, partition, this.#engine.decoderFor(this.#engine.sourceFor(topic)));
      this.#queues.set(key, queue);
    }
    return queue;
  }

  #globalStore(name: string): StateStore | undefined {
    let view = this.#globalViews.get(name);
    if (view === undefined) {
      const model = this.#options.model.stores.get(name);
      const store = model?.global === true ? this.#options.globalStores?.getStore(name) : undefined;
      if (store === undefined) return undefined;
      view = readOnlyGlobalStore(store, model?.sourceTopic);
      this.#globalViews.set(name, view);
    }
    return view;
  }

  #requireRunning(action: string): void {
    if (this.#state !== 'RUNNING') {
      throw new StreamsError(`Task ${this.idText} cannot ${action}: it is ${this.#state}. Call initialize() first, and do not use a closed task.`, { taskId: this.idText });
    }
  }

  #defaultStateManager(): StateManager {
    const config = this.#options.config;
    return new InProcessStateManager({
      applicationId: config.applicationId,
      taskId: this.idText,
      appConfigs: config.appConfigs ?? {},
      stateDirectory: config.stateDir === undefined ? undefined : `${config.stateDir}/${config.applicationId}/${this.idText}`,
      streamTimeMs: () => this.#streamTimeMs,
      recordTimestampMs: () => this.#recordTimestampMs ?? this.#streamTimeMs,
      ...(config.metrics === undefined ? {} : { metrics: config.metrics }),
      ...(this.#options.stateManagerHooks === undefined ? {} : { hooks: this.#options.stateManagerHooks }),
    });
  }
}
