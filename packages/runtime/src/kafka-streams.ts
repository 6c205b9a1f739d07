import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssignorErrorCode } from '@kstreams/assignor';
import { StreamsError, prefixedLogger, validateCopartitioning, type CacheBudget, type Logger, type TopologyModel } from '@kstreams/core';
import type { StateRestoreListener } from '@kstreams/changelog';
import type { ChangelogReaderClient, KafkaAdmin, KafkaClientFactory, RecordProducer } from './kafka/kafka-client.js';
import { classifySecurityError, isSecurityError } from './auth-errors.js';
import { changelogHooks, instanceCacheBudget } from './changelog-hooks.js';
import { KafkajsClientFactory } from './kafka/kafkajs-client-factory.js';
import { KafkaRecordCollector } from './kafka-record-collector.js';
import type { HealthReport } from '@kstreams/metrics';
import { KafkaStreamsStateMachine, type KafkaStreamsState, type StateListener } from './kafka-streams-state.js';
import { checkInternalTopicPartitions, internalTopics, patternMatchedTopics } from './internal-topics.js';
import { taskConfigFrom } from './internal/topology-wiring.js';
import { StreamsAssignor } from './internal/streams-assignor.js';
import { StateDirectory } from './state-directory.js';
import { GlobalStreamThread } from './global-stream-thread.js';
import { securityErrorContext } from './security-error-context.js';
import { RuntimeMetrics, taskCounts } from './runtime-metrics.js';
import { StreamThread } from './stream-thread.js';
import { ExactlyOnceCommitter } from './exactly-once-committer.js';
import { PerTaskExactlyOnce } from './per-task-exactly-once.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';
import { TaskManager, type TaskMetadata } from './task-manager.js';
import { TopicPartitionCounts } from './topic-partition-counts.js';
import { InteractiveQueries } from './interactive-queries/interactive-queries.js';
import type { StoreQueryParameters } from './interactive-queries/queryable-store-types.js';
import type { KeyQueryMetadata, StreamsMetadata } from './interactive-queries/streams-metadata.js';
import { StreamsMetadataState, type KeyPartitioning } from './interactive-queries/streams-metadata-state.js';

/**
 * What to do after an uncaught processing error (Java's `StreamsUncaughtExceptionHandler`):
 * stop this instance (to ERROR), or replace the failed stream thread with a fresh one that
 * rejoins the group and resumes from the committed offsets.
 */
export type StreamThreadExceptionResponse = 'SHUTDOWN_CLIENT' | 'REPLACE_THREAD';

/** Decides what happens when processing fails fatally. */
export type UncaughtExceptionHandler = (error: unknown) => StreamThreadExceptionResponse;

/** The state of one stream thread, named after Kafka Streams' thread states. */
export type StreamThreadState = 'CREATED' | 'STARTING' | 'PARTITIONS_REVOKED' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'DEAD';

/** The tasks one stream thread runs (`localThreadsMetadata()`). */
export interface ThreadMetadata {
  readonly threadName: string;
  readonly state: StreamThreadState;
  readonly activeTasks: readonly TaskMetadata[];
  /** Standby tasks (warm copies of other instances' stateful tasks) this thread keeps. */
  readonly standbyTasks: readonly string[];
}

/** Anything that builds a topology model (a `Topology`), or the model itself. */
export type TopologySource = TopologyModel | { build(): TopologyModel };

/** One of the instance's stream threads (a consumer loop and its tasks). */
interface ThreadSlot {
  name: string;
  /** Position among the instance's threads; a replacement keeps it (and so its transactional id). */
  readonly index: number;
  thread: StreamThread;
  taskManager: TaskManager;
  state: StreamThreadState;
  /** Set while the failed thread of this slot is being replaced. */
  replacing?: Promise<void>;
}

interface Running {
  readonly producer: RecordProducer;
  readonly admin: KafkaAdmin;
  readonly changelogReader: ChangelogReaderClient;
  readonly partitionCounts: TopicPartitionCounts;
  readonly cacheBudget: CacheBudget | undefined;
  readonly stateDirectory: StateDirectory;
  readonly slots: ThreadSlot[];
  /** Keeps the global stores current; `undefined` without global stores. */
  readonly globalThread: GlobalStreamThread | undefined;
}

/**
 * Runs a topology against Kafka: one consumer group named `applicationId`, one task per
 * partition index of each sub-topology, at-least-once commits, eager rebalances, and the
 * lifecycle of Kafka Streams (CREATED → REBALANCING ⇄ RUNNING → PENDING_SHUTDOWN → NOT_RUNNING).
 *
 * @example
 * const streams = new KafkaStreams(topology, { applicationId: 'word-count', bootstrapServers: 'localhost:9092' });
 * streams.onStateChange((state) => logger.info(`now ${state}`));
 * await streams.start();
 * process.once('SIGTERM', () => void streams.close({ timeoutMs: 10_000 }));
 */
export class KafkaStreams {
  readonly config: StreamsConfig;
  readonly #model: TopologyModel;
  readonly #clients: KafkaClientFactory;
  readonly #lifecycle: KafkaStreamsStateMachine;
  #uncaughtExceptionHandler: UncaughtExceptionHandler = () => 'SHUTDOWN_CLIENT';
  #running: Running | undefined;
  #shutdown: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #threadCount = 0;
  #restoreListener: StateRestoreListener | undefined;
  /** This instance in the group: standby copies never go to the instance running the task. */
  #processId: string = randomUUID();
  readonly #logger: Logger;
  readonly #metrics: RuntimeMetrics;
  /** Where every store lives, from each assignment's host map (interactive queries). */
  readonly #metadataState: StreamsMetadataState;
  readonly #queries: InteractiveQueries;

  constructor(topology: TopologySource, options: StreamsConfigOptions | StreamsConfig, dependencies: { clientFactory?: KafkaClientFactory } = {}) {
    this.config = options instanceof StreamsConfig ? options : new StreamsConfig(options);
    this.#model = 'build' in topology ? topology.build() : topology;
    this.#clients = dependencies.clientFactory ?? new KafkajsClientFactory(this.config);
    this.#logger = prefixedLogger(this.config.logger, `stream-client [${this.config.clientId}] `);
    this.#lifecycle = new KafkaStreamsStateMachine({
      onListenerError: (error) => this.#logger.error('A state listener threw; ignoring it.', { error }),
    });
    this.#lifecycle.onStateChange((next, previous) => this.#logger.info(`State transition from ${previous} to ${next}.`));
    this.#metrics = new RuntimeMetrics(this.config, { state: () => this.state(), threads: () => this.localThreadsMetadata() }, this.#logger);
    this.#metadataState = new StreamsMetadataState({ model: this.#model, applicationServer: this.config.applicationServer, partitionCount: (topic) => this.#running?.partitionCounts.cached(topic) });
    this.#queries = new InteractiveQueries(this.#model, {
      state: () => this.state(),
      threads: () => (this.#running?.slots ?? []).map((slot) => ({ name: slot.name, state: slot.state, ...slot.taskManager.queryableTasks() })),
      globalStore: (name) => this.#running?.globalThread?.getStore(name),
      builderOf: (name) => this.#model.stores.get(name)?.builder,
    }, this.#metadataState);
  }

  /** The current lifecycle state. */
  state(): KafkaStreamsState {
    return this.#lifecycle.state;
  }

  /** Adds a listener called with `(newState, oldState)`; returns a function removing it. */
  onStateChange(listener: StateListener): () => void {
    return this.#lifecycle.onStateChange(listener);
  }

  /** Sets what happens after a fatal processing error (default: shut this client down). */
  setUncaughtExceptionHandler(handler: UncaughtExceptionHandler): void {
    if (this.state() !== 'CREATED') {
      throw new StreamsError(`The uncaught exception handler can only be set before start(); the instance is ${this.state()}.`);
    }
    this.#uncaughtExceptionHandler = handler;
  }

  /**
   * Sets the listener told about every store restoration of this instance (Java's
   * `setGlobalStateRestoreListener`): start, each batch, end, and suspension by a rebalance.
   * Progress lines (records restored / total, rate, ETA) go to the configured logger anyway.
   */
  setGlobalStateRestoreListener(listener: StateRestoreListener | undefined): void {
    if (this.state() !== 'CREATED') {
      throw new StreamsError(`The state restore listener can only be set before start(); the instance is ${this.state()}.`);
    }
    this.#restoreListener = listener;
  }

  /**
   * Connects, checks the source topics (they must exist and be co-partitioned per
   * sub-topology), creates internal topics, joins the group and starts processing. Resolves once
   * the consumer runs; the state turns RUNNING when the first assignment is in place. Throws
   * (and ends in ERROR) when setup fails.
   */
  async start(): Promise<void> {
    if (this.state() !== 'CREATED') {
      throw new StreamsError(`KafkaStreams can only be started once, from CREATED; it is ${this.state()}. Create a new instance to start again.`);
    }
    this.#lifecycle.transitionTo('REBALANCING');
    this.#starting = this.#startRunning();
    try {
      await this.#starting;
    } catch (cause) {
      const error = classifySecurityError(cause, securityErrorContext(this.config, this.#model, 'starting')) ?? cause;
      this.#logger.error('Startup failed; shutting down.', { error });
      this.#lifecycle.tryTransitionTo('PENDING_ERROR');
      await this.#stopRunning({ commit: false });
      this.#lifecycle.tryTransitionTo('ERROR');
      throw error;
    }
  }

  /**
   * Commits, closes the tasks and leaves the group. Resolves true when done within `timeoutMs`
   * (default 30 s), false otherwise (shutdown then continues in the background). Idempotent.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.#shutdown ??= this.#beginShutdown();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.#shutdown.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Deletes this application's local state directory; only while not running. */
  async cleanUp(): Promise<void> {
    const state = this.state();
    if (state !== 'CREATED' && state !== 'NOT_RUNNING' && state !== 'ERROR') {
      throw new StreamsError(`cleanUp() deletes local state and cannot run while the instance is ${state}. Call it before start() or after close().`);
    }
    await rm(join(this.config.stateDir, this.config.applicationId), { recursive: true, force: true });
  }

  /**
   * What a liveness or readiness probe needs: state, live threads, restoring tasks, consumer lag
   * per input partition and the age of the last commit (serve it with `startHealthServer`).
   */
  health(): HealthReport {
    return this.#metrics.health();
  }

  /** The stream threads of this instance and the tasks each runs now. */
  localThreadsMetadata(): ThreadMetadata[] {
    return (this.#running?.slots ?? []).map((slot) => ({
      threadName: slot.name,
      state: slot.state,
      activeTasks: slot.taskManager.metadata(),
      standbyTasks: slot.taskManager.standbyTaskIds(),
    }));
  }

  /**
   * A read-only view of a state store over all local tasks that hold it (Java's
   * `KafkaStreams#store`), typed by `type` (see `QueryableStoreTypes`). The view finds the tasks
   * again at every call, so keep it across rebalances; a call throws a retriable
   * `InvalidStateStoreError` while the store cannot be read here (rebalancing, restoring, moved
   * away) unless `staleStoresEnabled` allows restoring and standby copies.
   *
   * @throws StreamsNotStartedError before start(); UnknownStateStoreError for a name the topology
   * does not have; InvalidStateStoreError when the store is of another type.
   * @example
   * const counts = streams.store({ storeName: 'counts', type: QueryableStoreTypes.keyValueStore<string, bigint>() });
   * counts.get('kafka');
   */
  store<T>(parameters: StoreQueryParameters<T>): T {
    return this.#queries.store(parameters);
  }

  /**
   * Which instance holds `key` of `storeName` as active (and which as standbys), from the last
   * assignment's host map (every member's `applicationServer`), with the key's partition computed
   * by the default partitioner over `partitioning` (the key serializer) or by the given
   * partitioner. Returns `KEY_QUERY_METADATA_NOT_AVAILABLE` (host "unavailable", port -1) until an
   * assignment with hosts arrived.
   */
  queryMetadataForKey<K>(storeName: string, key: K, partitioning: KeyPartitioning<K>): KeyQueryMetadata {
    return this.#queries.queryMetadataForKey(storeName, key, partitioning);
  }

  /** Every instance of the application that set `applicationServer`, with its stores and partitions (Java's `metadataForAllStreamsClients`). */
  allMetadata(): StreamsMetadata[] {
    return this.#queries.allMetadata();
  }

  /** The instances holding `storeName` as active or standby (Java's `streamsMetadataForStore`). */
  allMetadataForStore(storeName: string): StreamsMetadata[] {
    return this.#queries.allMetadataForStore(storeName);
  }

  async #startRunning(): Promise<void> {
    const admin = this.#clients.createAdmin();
    const producer = this.#clients.createProducer();
    const partitionCounts = new TopicPartitionCounts(admin);
    const changelogReader = this.#clients.createChangelogReader();
    const stateDirectory = new StateDirectory({ stateDir: this.config.stateDir, applicationId: this.config.applicationId, processId: this.#processId, logger: this.#logger });
    const globalThread = this.#createGlobalThread(partitionCounts);
    const running: Running = { producer, admin, changelogReader, partitionCounts, cacheBudget: instanceCacheBudget(this.config.statestoreCacheMaxBytes), stateDirectory, slots: [], globalThread };
    this.#running = running;
    await stateDirectory.lock();
    // As Kafka Streams: the process id persisted in the state directory, so a restarted instance keeps it.
    this.#processId = stateDirectory.processId;
    for (let index = 0; index < this.config.numStreamThreads; index++) running.slots.push(this.#createSlot(running));
    await admin.connect();
    await producer.connect();
    await this.#prepareTopics(admin, partitionCounts);
    // Global stores are restored before any thread joins the group, so RUNNING implies them.
    await globalThread?.start();
    // close() during setup wins: do not join the group after it.
    if (this.#shutdown !== undefined) return;
    await Promise.all(running.slots.map((slot) => this.#startSlot(slot)));
  }

  #createGlobalThread(partitionCounts: TopicPartitionCounts): GlobalStreamThread | undefined {
    if (!GlobalStreamThread.needed(this.#model)) return undefined;
    const reader = this.#clients.createChangelogReader();
    const thread = new GlobalStreamThread({ model: this.#model, taskConfig: taskConfigFrom(this.config), reader, partitionCounts: (topics) => partitionCounts.load(topics), stateDir: this.config.stateDir, applicationId: this.config.applicationId, logger: this.config.logger, commitIntervalMs: this.config.commitIntervalMs, onStopped: () => reader.disconnect(), onFatal: (error) => this.#onGlobalFatal(error) });
    return thread;
  }

  /** As Java: when the global stream thread dies, the instance stops in ERROR (stale global stores are not served). */
  #onGlobalFatal(error: unknown): void {
    this.#logger.error('The global stream thread failed; shutting this client down.', { error });
    if (this.state() !== 'RUNNING' && this.state() !== 'REBALANCING') return;
    this.#lifecycle.transitionTo('PENDING_ERROR');
    this.#shutdown ??= this.#stopRunning({ commit: false }).then(() => this.#lifecycle.transitionTo('ERROR'));
  }

  async #startSlot(slot: ThreadSlot): Promise<void> {
    slot.state = 'STARTING';
    await slot.thread.start();
  }

  /**
   * A stream thread: its own consumer (one group member), task manager and record collector,
   * sharing the producer.
   * Threads interleave on the event loop, so several of them overlap asynchronous processing.
   */
  #createSlot(running: Running): ThreadSlot {
    const name = `${this.config.clientId}-StreamThread-${++this.#threadCount}`;
    const slot = { name, index: running.slots.length, state: 'CREATED' } as ThreadSlot;
    Object.assign(slot, this.#createThread(running, slot));
    return slot;
  }

  #createThread(running: Running, slot: ThreadSlot): { thread: StreamThread; taskManager: TaskManager } {
    const { cacheBudget, stateDirectory } = running;
    const config = this.config;
    const threadLogger = prefixedLogger(config.logger, `stream-thread [${slot.name}] `);
    // One collector per thread: a commit waits only for its own thread's sends and errors.
    let thread: StreamThread | undefined;
    // exactly_once_v2: one transactional producer per thread (Kafka Streams' `<applicationId>-<processId>-<thread index>`), a replacement thread takes it over and fences the failed one.
    const exactlyOnce = config.processingGuarantee === 'exactly_once_v2'
      ? new ExactlyOnceCommitter({
        createProducer: () => this.#clients.createTransactionalProducer(`${config.applicationId}-${this.#processId}-${slot.index}`, { transactionTimeoutMs: config.transactionTimeoutMs }),
        collector: { flush: () => collector.flush() },
        consumer: () => thread!.consumer,
        groupId: config.applicationId,
        logger: threadLogger,
      })
      : undefined;
    const collector: KafkaRecordCollector = new KafkaRecordCollector({ producer: exactlyOnce ?? running.producer, partitionCounts: running.partitionCounts, productionExceptionHandler: config.productionExceptionHandler, logger: threadLogger });
    // exactly_once (deprecated): one transactional producer and collector per active task, `<applicationId>-<taskId>`.
    const perTask: PerTaskExactlyOnce | undefined = config.processingGuarantee === 'exactly_once'
      ? new PerTaskExactlyOnce({
        createProducer: (transactionalId) => this.#clients.createTransactionalProducer(transactionalId, { transactionTimeoutMs: config.transactionTimeoutMs }),
        createCollector: (producer) => new KafkaRecordCollector({ producer, partitionCounts: running.partitionCounts, productionExceptionHandler: config.productionExceptionHandler, logger: threadLogger }),
        applicationId: config.applicationId,
        activeTaskIds: () => taskManager.activeTaskIds(),
        logger: threadLogger,
      })
      : undefined;
    const threadMetrics = this.#metrics.thread(slot.name, () => taskManager.activeTaskIds(), () => taskCounts(taskManager.metadata(), taskManager.standbyTaskIds()));
    const taskManager = new TaskManager({
      model: this.#model,
      taskConfig: this.#metrics.taskConfig(taskConfigFrom(config), slot.name),
      collector: perTask === undefined ? collector : { forTask: (taskId) => perTask.collectorFor(taskId).forTask(taskId) },
      committer: perTask ?? exactlyOnce ?? { flush: () => collector.flush(), commitOffsets: (offsets) => thread!.consumer.commit(offsets) },
      exactlyOnce: exactlyOnce !== undefined,
      logger: threadLogger,
      owner: slot.name,
      stateDirectory,
      maxTaskIdleMs: config.maxTaskIdleMs,
      globalStores: running.globalThread,
      stateManagerHooks: (taskId, taskCollector) => changelogHooks({ applicationId: config.applicationId, partition: taskId.partition, collector: taskCollector, cacheBudget }),
      changelog: {
        applicationId: config.applicationId,
        stateDir: config.stateDir,
        reader: running.changelogReader,
        restoreListener: () => threadMetrics.restoreListener(this.#restoreListener),
        logger: threadLogger,
        exactlyOnce: exactlyOnce !== undefined || perTask !== undefined,
      },
    });
    const explicitTopics = [...new Set(this.#model.subtopologies.flatMap((subtopology) => subtopology.sourceTopics))];
    const assignor = new StreamsAssignor({
      model: this.#model,
      applicationId: config.applicationId,
      cooperative: config.rebalanceProtocol === 'cooperative',
      config: {
        numStandbyReplicas: config.numStandbyReplicas,
        acceptableRecoveryLag: config.acceptableRecoveryLag,
        maxWarmupReplicas: config.maxWarmupReplicas,
        probingRebalanceIntervalMs: config.probingRebalanceIntervalMs,
        rackAwareAssignmentTags: config.rackAwareAssignmentTags,
      },
      changelogEndOffsets: (partitions) => running.changelogReader.endOffsets(partitions),
      logger: threadLogger,
    });
    thread = new StreamThread({
      createConsumer: (listener) =>
        this.#clients.createConsumer({
          groupId: config.applicationId,
          groupInstanceId: config.groupInstanceId === undefined ? null : `${config.groupInstanceId}-${slot.name.split('-').at(-1)}`,
          protocol: config.rebalanceProtocol,
          sessionTimeoutMs: config.consumer.sessionTimeout ?? 45_000,
          rebalanceTimeoutMs: config.consumer.rebalanceTimeout ?? config.maxPollIntervalMs,
          heartbeatIntervalMs: config.consumer.heartbeatInterval ?? 3_000,
          maxPollIntervalMs: config.maxPollIntervalMs,
          fetch: {
            maxWaitMs: config.consumer.maxWaitTimeInMs ?? 500,
            // 256 KiB, not Java's 1 MiB: fewer fetched records wait in memory (peak RSS) at the same throughput (benchmarks/results/optimisations.md).
            maxBytesPerPartition: config.consumer.maxBytesPerPartition ?? 256 * 1024,
            maxBytes: config.consumer.maxBytes ?? 50 * 1024 * 1024,
            readUncommitted: false,
          },
          requireStableOffsets: exactlyOnce !== undefined || perTask !== undefined,
          subscription: async () => ({
            topics: explicitTopics,
            userData: assignor.subscriptionUserData({
              processId: this.#processId,
              userEndpoint: config.applicationServer,
              activeTasks: taskManager.activeTaskIds(),
              runningTasks: taskManager.runningTaskIds(),
              standbyTasks: taskManager.standbyTaskIds(),
              tasksOnDisk: new Map([...(await offsetSumsOnDisk(stateDirectory)), ...taskManager.taskOffsetSums()]),
              clientTags: config.clientTags,
            }),
          }),
          assign: (members, cluster) => assignor.assign(members, cluster),
          listener,
          logger: threadLogger,
        }),
      taskManager,
      collector: perTask ?? collector,
      decodeAssignment: (userData) => {
        const decoded = assignor.decode(userData);
        if (decoded.errorCode === AssignorErrorCode.NONE) this.#metadataState.onAssignment(decoded.partitionsByHost, decoded.standbyPartitionsByHost);
        return decoded;
      },
      commitIntervalMs: config.commitIntervalMs,
      bufferedRecordsPerPartition: config.bufferedRecordsPerPartition,
      logger: threadLogger,
      onRebalancing: () => this.#onThreadState(slot, thread!, 'PARTITIONS_REVOKED'),
      onRunning: () => this.#onThreadState(slot, thread!, 'RUNNING'),
      onFatal: (error) => this.#onFatal(slot, thread!, error),
      exactlyOnce: perTask ?? exactlyOnce,
      metrics: threadMetrics,
    });
    return { thread, taskManager };
  }

  /** The instance is RUNNING when every live thread runs, REBALANCING while any rebalances. */
  #onThreadState(slot: ThreadSlot, thread: StreamThread, state: StreamThreadState): void {
    if (slot.thread !== thread) return;
    slot.state = state;
    const live = this.#running?.slots.filter((candidate) => candidate.state !== 'DEAD') ?? [];
    if (state !== 'RUNNING' && this.#lifecycle.state === 'RUNNING') this.#lifecycle.transitionTo('REBALANCING');
    if (live.every((candidate) => candidate.state === 'RUNNING') && this.#lifecycle.state === 'REBALANCING') this.#lifecycle.transitionTo('RUNNING');
  }

  async #prepareTopics(admin: KafkaAdmin, partitionCounts: TopicPartitionCounts): Promise<void> {
    const sourceTopics = this.#model.subtopologies.flatMap((subtopology) => subtopology.sourceTopics);
    const hasPatterns = this.#model.subtopologies.some((subtopology) => subtopology.sourcePatterns.length > 0);
    const patternTopics = hasPatterns ? patternMatchedTopics(this.#model, await admin.listTopics()) : [];
    const counts = await partitionCounts.load([...sourceTopics, ...patternTopics]);
    validateCopartitioning({ ...this.#model, subtopologies: this.#model.subtopologies.filter((subtopology) => subtopology.sourcePatterns.length === 0) }, counts);
    const { replicationFactor, windowstoreChangelogAdditionalRetentionMs } = this.config;
    const topics = internalTopics(this.#model, { applicationId: this.config.applicationId, replicationFactor, partitionCounts: counts, windowstoreChangelogAdditionalRetentionMs });
    checkInternalTopicPartitions(topics, await admin.partitionCounts(topics.map((topic) => topic.topic)));
    await admin.createTopics(topics);
    for (const topic of topics) partitionCounts.remember(topic.topic, topic.numPartitions);
  }

  #onFatal(slot: ThreadSlot, thread: StreamThread, cause: unknown): void {
    const error = classifySecurityError(cause, securityErrorContext(this.config, this.#model)) ?? cause;
    const state = this.state();
    const running = this.#running;
    if (running === undefined || slot.thread !== thread || (state !== 'RUNNING' && state !== 'REBALANCING')) {
      this.#logger.error(`A fatal error happened while ${state}.`, { error });
      return;
    }
    this.#metrics.onThreadFailed();
    let response: StreamThreadExceptionResponse = 'SHUTDOWN_CLIENT';
    try {
      response = this.#uncaughtExceptionHandler(error);
      // A refused login or a missing ACL fails the same way in a new thread: stop instead.
      if (isSecurityError(error)) response = 'SHUTDOWN_CLIENT';
    } catch (handlerError) {
      this.#logger.error('The uncaught exception handler threw; shutting this client down.', { error: handlerError });
    }
    if (response === 'REPLACE_THREAD') {
      this.#logger.error(`Processing failed in ${slot.name}; replacing the stream thread (it restarts from the committed offsets).`, { error });
      this.#replaceThread(running, slot);
      return;
    }
    this.#logger.error(`Processing failed in ${slot.name}; shutting this client down.`, { error });
    slot.state = 'DEAD';
    this.#lifecycle.transitionTo('PENDING_ERROR');
    this.#shutdown ??= this.#stopRunning({ commit: false }).then(() => this.#lifecycle.transitionTo('ERROR'));
  }

  /** Stops the failed thread of `slot` (no commit) and starts a fresh one with a new name. */
  #replaceThread(running: Running, slot: ThreadSlot): void {
    const failed = slot.thread;
    if (this.state() === 'RUNNING') this.#lifecycle.transitionTo('REBALANCING');
    slot.name = `${this.config.clientId}-StreamThread-${++this.#threadCount}`;
    slot.state = 'CREATED';
    const fresh = this.#createThread(running, slot);
    slot.thread = fresh.thread;
    slot.taskManager = fresh.taskManager;
    slot.replacing = (async () => {
      await failed.stop({ commit: false }).catch((error: unknown) => this.#logger.warn('Stopping the failed stream thread failed.', { error }));
      if (this.#shutdown === undefined) await this.#startSlot(slot);
    })().catch((error: unknown) => this.#onFatal(slot, fresh.thread, error));
  }

  async #beginShutdown(): Promise<void> {
    const state = this.state();
    if (state === 'PENDING_ERROR' || state === 'ERROR' || state === 'NOT_RUNNING') return;
    this.#lifecycle.transitionTo('PENDING_SHUTDOWN');
    await this.#stopRunning({ commit: true });
    this.#lifecycle.transitionTo('NOT_RUNNING');
  }

  async #stopRunning(options: { commit: boolean }): Promise<void> {
    // A close() during start() waits for the setup to finish (it then skips joining the group).
    await this.#starting?.catch(() => undefined);
    const running = this.#running;
    if (running === undefined) return;
    const attempt = async (what: string, action: () => Promise<void>): Promise<void> => {
      try {
        await action();
      } catch (error) {
        this.#logger.warn(`Shutdown: ${what} failed.`, { error });
      }
    };
    await Promise.all(running.slots.map((slot) => slot.replacing));
    await Promise.all(
      running.slots.map(async (slot) => {
        if (slot.state !== 'DEAD') slot.state = 'PENDING_SHUTDOWN';
        await attempt(`stopping ${slot.name}`, () => slot.thread.stop(options));
        slot.state = 'DEAD';
      }),
    );
    await attempt('stopping the global stream thread', async () => running.globalThread?.stop());
    await attempt('closing the producer', () => running.producer.disconnect());
    await attempt('closing the admin client', () => running.admin.disconnect());
    await attempt('closing the changelog reader', () => running.changelogReader.disconnect());
    await attempt('releasing the state directory', () => running.stateDirectory.unlock());
  }
}

/** Checkpointed changelog offset sums of the task directories on disk (how far each task's state is). */
async function offsetSumsOnDisk(stateDirectory: StateDirectory): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (const [taskId, entries] of await stateDirectory.tasksOnDisk()) sums.set(taskId, entries.reduce((sum, entry) => sum + entry.offset + 1, 0));
  return sums;
}
