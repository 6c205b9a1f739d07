import { StreamsError, TopologyError } from '../errors/streams-error.js';
import type { Cancellable, PunctuationType, Punctuator } from '../processor/punctuation.js';
import { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { TaskId } from '../processor/task-id.js';
import type { Serde } from '../serde/serde.js';
import type { StateStore } from '../state/state-store.js';
import type { StoreModel, SubtopologyModel, TopologyModel } from '../topology/topology-model.js';
import { deserializationHandlers, type RawRecord } from './deserialization-exception-handler.js';
import { InProcessStateManager } from './in-process-state-manager.js';
import { noopLogger, prefixedLogger, type Logger } from './logger.js';
import { chain, runInOrder, type MaybePromise } from './maybe-promise.js';
import type { NodeHost } from './node-host.js';
import type { StampedRecord } from './partition-queue.js';
import { processingHandlers, type ProcessingExceptionHandler } from './processing-exception-handler.js';
import type { RecordCollector } from './record-collector.js';
import { createRecordDecoder } from './record-decoder.js';
import type { StateManager, StateManagerHooks } from './state-manager.js';
import type { ConsumedOffset } from './stream-task.js';
import { recordTimestamp, type TaskConfig } from './task-config.js';
import { buildTaskGraph, type TaskGraph } from './task-graph.js';
import { TaskMetrics } from './task-metrics.js';

/** What a {@link GlobalStateTask} is built from. */
export interface GlobalStateTaskOptions {
  readonly model: TopologyModel;
  readonly config: TaskConfig;
  /** Where a dead-letter deserialization handler sends records; default: drops them. */
  readonly collector?: RecordCollector;
  /** Default: an {@link InProcessStateManager} under `<stateDir>/<applicationId>/global`. */
  readonly stateManager?: StateManager;
  readonly stateManagerHooks?: StateManagerHooks;
}

/** The global stores' source and processor, per global topic. */
interface GlobalFeed {
  readonly store: StoreModel;
  readonly graph: TaskGraph;
  readonly sourceName: string;
  readonly decode: (raw: RawRecord, partitionTimeMs: number) => StampedRecord | undefined;
}

const GLOBAL_TASK_ID: TaskId = { subtopology: -1, partition: -1 };
const discardingCollector: RecordCollector = { send: () => undefined, flush: () => undefined };

/**
 * Keeps an application instance's global stores current, as Kafka Streams' global state task:
 * reads every partition of each global store's topic (in whatever order the host hands them
 * in), runs each record through the store's source and processor, which write the store. Stream
 * tasks read the stores through read-only views (pass this task as `globalStores` to
 * `StreamTask`). Global processors cannot schedule punctuators and have no stream time.
 *
 * @example
 * const globalTask = new GlobalStateTask({ model, config });
 * await globalTask.initialize();
 * await globalTask.update({ topic: 'countries', partition: 0, offset: 0, key, value, timestamp: 0, headers });
 * await globalTask.flush();
 */
export class GlobalStateTask implements NodeHost {
  readonly taskId = GLOBAL_TASK_ID;
  readonly taskIdText = 'global';
  readonly applicationId: string;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly logger: Logger;
  readonly collector: RecordCollector;
  readonly metrics = new TaskMetrics('global');
  readonly processingExceptionHandler: ProcessingExceptionHandler;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  readonly #options: GlobalStateTaskOptions;
  readonly #stateManager: StateManager;
  readonly #feeds = new Map<string, GlobalFeed>();
  readonly #offsets = new Map<string, ConsumedOffset>();
  readonly #pending = new Set<Promise<void>>();
  #currentRecord: RecordMetadata | undefined;
  #recordTimestampMs = -1;
  #maxTimestampMs = -1;
  #state: 'CREATED' | 'RUNNING' | 'CLOSED' = 'CREATED';

  /** True when the topology has at least one global store (so an instance needs this task). */
  static needed(model: TopologyModel): boolean {
    for (const store of model.stores.values()) if (store.global) return true;
    return false;
  }

  constructor(options: GlobalStateTaskOptions) {
    const config = options.config;
    this.#options = options;
    this.applicationId = config.applicationId;
    this.appConfigs = config.appConfigs ?? {};
    this.logger = prefixedLogger(config.logger ?? noopLogger, 'global-state-task ');
    this.collector = options.collector ?? discardingCollector;
    this.processingExceptionHandler = config.processingExceptionHandler ?? processingHandlers.logAndFail;
    this.defaultKeySerde = config.defaultKeySerde;
    this.defaultValueSerde = config.defaultValueSerde;
    this.#stateManager = options.stateManager ?? this.#defaultStateManager();
    for (const store of options.model.stores.values()) if (store.global) this.#addFeed(store);
  }

  /** The topics feeding global stores: consume every partition of each. */
  get topics(): readonly string[] {
    return [...this.#feeds.keys()];
  }

  /** Builds and initialises the global stores, then their processors. */
  initialize(): MaybePromise<void> {
    if (this.#state !== 'CREATED') return undefined;
    const stores = [...this.#feeds.values()].map((feed) => feed.store);
    return chain(this.#stateManager.initialize(stores), () =>
      chain(runInOrder([...this.#feeds.values()], (feed) => runInOrder(feed.graph.nodes, (node) => node.init())), () => {
        this.#state = 'RUNNING';
        this.logger.info(`Initialized global stores ${stores.map((store) => `"${store.name}"`).join(', ')}; state CREATED -> RUNNING.`);
      }),
    );
  }

  /** Applies one record of a global topic: deserializes it and runs the store's processor. */
  update(raw: RawRecord): MaybePromise<void> {
    this.#requireRunning('update global stores');
    const feed = this.#feeds.get(raw.topic);
    if (feed === undefined) {
      throw new TopologyError(`The global state task got a record of topic "${raw.topic}", which feeds no global store (global topics: ${this.topics.join(', ') || 'none'}).`);
    }
    const key = `${raw.topic}\u0000${raw.partition}`;
    this.#offsets.set(key, { topic: raw.topic, partition: raw.partition, offset: raw.offset + 1 });
    const stamped = feed.decode(raw, this.#maxTimestampMs);
    if (stamped === undefined) return undefined;
    this.#maxTimestampMs = Math.max(this.#maxTimestampMs, stamped.timestamp);
    this.#currentRecord = { topic: raw.topic, partition: raw.partition, offset: raw.offset };
    this.#recordTimestampMs = stamped.timestamp;
    const source = feed.graph.sources.get(feed.sourceName);
    const received = source?.node.receive(new Record(stamped.key, stamped.value, stamped.timestamp, raw.headers));
    return chain(chain(received, () => this.#afterRecord(feed)), () => {
      this.#currentRecord = undefined;
      this.metrics.recordProcess(0);
    });
  }

  /** Flushes the global stores and returns the next offset to read per partition (the checkpoint). */
  flush(): MaybePromise<readonly ConsumedOffset[]> {
    this.#requireRunning('flush global stores');
    return chain(this.#stateManager.flush(), () => [...this.#offsets.values()]);
  }

  /** A global store, by name. */
  getStore(name: string): StateStore | undefined {
    return this.#stateManager.getStore(name);
  }

  /** Every global store, by name. */
  stores(): ReadonlyMap<string, StateStore> {
    return this.#stateManager.stores();
  }

  /** Closes the processors, then the stores; idempotent. */
  close(): MaybePromise<void> {
    if (this.#state === 'CLOSED') return undefined;
    const previous = this.#state;
    this.#state = 'CLOSED';
    const feeds = [...this.#feeds.values()];
    const closedNodes = previous === 'RUNNING' ? runInOrder(feeds, (feed) => runInOrder(feed.graph.nodes, (node) => node.close())) : undefined;
    return chain(closedNodes, () => chain(this.#stateManager.close(), () => this.logger.info(`Closed; state ${previous} -> CLOSED.`)));
  }

  // NodeHost, for the global source and processor nodes.
  recordMetadata(): RecordMetadata | undefined {
    return this.#currentRecord;
  }

  streamTimeMs(): number {
    throw new StreamsError('A global store processor has no stream time: global tasks read their topics regardless of time. Use record.timestamp instead.', {
      taskId: this.taskIdText,
    });
  }

  systemTimeMs(): number {
    return (this.#options.config.clock ?? { nowMs: Date.now }).nowMs();
  }

  store(name: string): StateStore | undefined {
    return this.#stateManager.getStore(name);
  }

  schedule(nodeName: string, _intervalMs: number, _type: PunctuationType, _punctuator: Punctuator): Cancellable {
    throw new StreamsError(
      `Processor "${nodeName}" feeds a global store and cannot schedule punctuators (as in Kafka Streams). Schedule them from a stream processor instead.`,
      { taskId: this.taskIdText },
    );
  }

  /** A no-op, as in Kafka Streams: the host flushes global stores on its own schedule. */
  requestCommit(): void {}

  trackPending(promise: Promise<void>): void {
    this.#pending.add(promise);
    const forget = (): void => {
      this.#pending.delete(promise);
    };
    promise.then(forget, forget);
  }

  markBatchPending(): void {}

  #afterRecord(feed: GlobalFeed): MaybePromise<void> {
    const flushed = runInOrder(feed.graph.batchNodes, (node) => node.flushBatch());
    return chain(flushed, () => this.#drainPending());
  }

  #drainPending(): MaybePromise<void> {
    if (this.#pending.size === 0) return undefined;
    return Promise.all(this.#pending).then(() => this.#drainPending());
  }

  #addFeed(store: StoreModel): void {
    const topic = store.sourceTopic;
    const sourceName = topic === undefined ? undefined : this.#options.model.sourceNodeByTopic.get(topic);
    const source = sourceName === undefined ? undefined : this.#options.model.nodes.get(sourceName);
    if (topic === undefined || sourceName === undefined || source?.kind !== 'source') {
      throw new TopologyError(`Global store "${store.name}" has no source reading its topic. Add it with Topology.addGlobalStore() and rebuild.`);
    }
    const subtopology: SubtopologyModel = {
      id: store.subtopology,
      nodes: [sourceName, ...store.processors],
      sourceTopics: [topic],
      sourcePatterns: [],
      sinkTopics: [],
      stores: [store.name],
    };
    const config = this.#options.config;
    const decode = createRecordDecoder({
      source,
      taskId: this.taskIdText,
      keyDeserializer: source.keyDeserializer ?? config.defaultKeySerde,
      valueDeserializer: source.valueDeserializer ?? config.defaultValueSerde,
      timestampExtractor: source.timestampExtractor ?? config.defaultTimestampExtractor ?? recordTimestamp,
      handler: config.deserializationExceptionHandler ?? deserializationHandlers.logAndFail,
      collector: this.collector,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.#feeds.set(topic, { store, graph: buildTaskGraph(this.#options.model, subtopology, this), sourceName, decode });
  }

  #requireRunning(action: string): void {
    if (this.#state !== 'RUNNING') {
      throw new StreamsError(`The global state task cannot ${action}: it is ${this.#state}. Call initialize() first, and do not use a closed task.`, {
        taskId: this.taskIdText,
      });
    }
  }

  #defaultStateManager(): StateManager {
    const config = this.#options.config;
    return new InProcessStateManager({
      applicationId: config.applicationId,
      taskId: this.taskIdText,
      appConfigs: config.appConfigs ?? {},
      stateDirectory: config.stateDir === undefined ? undefined : `${config.stateDir}/${config.applicationId}/global`,
      streamTimeMs: () => this.#maxTimestampMs,
      recordTimestampMs: () => this.#recordTimestampMs,
      ...(this.#options.stateManagerHooks === undefined ? {} : { hooks: this.#options.stateManagerHooks }),
    });
  }
}
