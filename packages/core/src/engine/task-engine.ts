import { ProcessingError, TopologyError } from '../errors/streams-error.js';
import { PunctuationType, type Cancellable, type Punctuator } from '../processor/punctuation.js';
import type { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { TaskId } from '../processor/task-id.js';
import type { Serde } from '../serde/serde.js';
import type { StateStore } from '../state/state-store.js';
import type { SubtopologyModel, TopologyModel } from '../topology/topology-model.js';
import { systemClock, type Clock } from './clock.js';
import { deserializationHandlers, type RawRecord } from './deserialization-exception-handler.js';
import type { BatchNodeBuffer } from './graph-node.js';
import { noopLogger, prefixedLogger, type Logger } from './logger.js';
import { chain, isPromiseLike, type MaybePromise } from './maybe-promise.js';
import type { NodeHost } from './node-host.js';
import type { StampedRecord } from './partition-queue.js';
import { processingHandlers, type ProcessingExceptionHandler } from './processing-exception-handler.js';
import { isHandled, markHandled } from './processing-failure.js';
import { PunctuationQueue, type PunctuationSchedule } from './punctuation-queue.js';
import { createRecordDecoder } from './record-decoder.js';
import { matchesWhole } from '../topology/topology-builder.js';
import type { RecordCollector } from './record-collector.js';
import { recordTimestamp, type TaskConfig } from './task-config.js';
import { buildTaskGraph, type TaskGraph } from './task-graph.js';
import type { TaskMetrics } from './task-metrics.js';

/** The parts of the task's state the engine reads or changes. */
export interface TaskView {
  streamTimeMs(): number;
  recordMetadata(): RecordMetadata | undefined;
  /** Sets the record metadata processors see (`undefined` while punctuating). */
  setRecordMetadata(metadata: RecordMetadata | undefined): void;
  requestCommit(): void;
  /** Something happened that a commit should cover (a punctuator ran). */
  markCommitNeeded(): void;
  store(name: string): StateStore | undefined;
  /** A read-only view of a global store, if the application has one by that name. */
  globalStore?(name: string): StateStore | undefined;
}

/** What a {@link TaskEngine} is built from. */
export interface TaskEngineOptions {
  readonly taskId: TaskId;
  readonly taskIdText: string;
  readonly config: TaskConfig;
  readonly model: TopologyModel;
  readonly subtopology: SubtopologyModel;
  readonly collector: RecordCollector;
  readonly metrics: TaskMetrics;
  readonly view: TaskView;
}

/**
 * The record-level machinery of a task: the node graph, punctuation queues, batch-processor
 * flushing and tracking of promises started by async processors. {@link StreamTask} owns one and
 * adds queues, stream time, lifecycle and commits on top.
 */
export class TaskEngine implements NodeHost {
  readonly taskId: TaskId;
  readonly taskIdText: string;
  readonly applicationId: string;
  readonly appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly logger: Logger;
  readonly collector: RecordCollector;
  readonly metrics: TaskMetrics;
  readonly processingExceptionHandler: ProcessingExceptionHandler;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  readonly #options: TaskEngineOptions;
  readonly #clock: Clock;
  readonly #graph: TaskGraph;
  readonly #streamTimeQueue = new PunctuationQueue();
  readonly #wallClockQueue = new PunctuationQueue();
  readonly #pending = new Set<Promise<void>>();
  readonly #sourceByTopic = new Map<string, string>();
  #batchesPending = false;

  constructor(options: TaskEngineOptions) {
    const config = options.config;
    this.#options = options;
    this.taskId = options.taskId;
    this.taskIdText = options.taskIdText;
    this.applicationId = config.applicationId;
    this.appConfigs = config.appConfigs ?? {};
    this.logger = prefixedLogger(config.logger ?? noopLogger, `task [${options.taskIdText}] `);
    this.collector = options.collector;
    this.metrics = options.metrics;
    this.processingExceptionHandler = config.processingExceptionHandler ?? processingHandlers.logAndFail;
    this.defaultKeySerde = config.defaultKeySerde;
    this.defaultValueSerde = config.defaultValueSerde;
    this.#clock = config.clock ?? systemClock;
    this.#graph = buildTaskGraph(options.model, options.subtopology, this, config.processorWrapper);
  }

  // NodeHost, for the nodes and their contexts.
  recordMetadata(): RecordMetadata | undefined {
    return this.#options.view.recordMetadata();
  }

  streamTimeMs(): number {
    return this.#options.view.streamTimeMs();
  }

  systemTimeMs(): number {
    return this.#clock.nowMs();
  }

  store(name: string): StateStore | undefined {
    return this.#options.view.store(name);
  }

  globalStore(name: string): StateStore | undefined {
    return this.#options.view.globalStore?.(name);
  }

  schedule(nodeName: string, intervalMs: number, type: PunctuationType, given: Punctuator): Cancellable {
    const intercept = this.#graph.interceptors.get(nodeName)?.punctuate;
    const punctuator: Punctuator = intercept === undefined ? given : (timestampMs) => intercept(timestampMs, () => given(timestampMs));
    // As Kafka Streams: stream-time schedules align to 0 (first due as soon as there is data),
    // wall-clock schedules are first due one interval from now.
    return type === PunctuationType.STREAM_TIME
      ? this.#streamTimeQueue.schedule(nodeName, 0, intervalMs, punctuator)
      : this.#wallClockQueue.schedule(nodeName, this.#clock.nowMs() + intervalMs, intervalMs, punctuator);
  }

  requestCommit(): void {
    this.#options.view.requestCommit();
  }

  trackPending(promise: Promise<void>): void {
    this.#pending.add(promise);
    const forget = (): void => {
      this.#pending.delete(promise);
    };
    promise.then(forget, forget);
  }

  markBatchPending(_node: BatchNodeBuffer): void {
    this.#batchesPending = true;
  }

  reportProcessingError(nodeName: string, records: readonly Record<unknown, unknown>[], error: unknown): void {
    const onError = this.#graph.interceptors.get(nodeName)?.onError;
    if (onError === undefined) return;
    if (records.length === 0) onError(undefined, error);
    for (const record of records) onError(record, error);
  }

  // Task-facing operations.
  initNodes(): MaybePromise<void> {
    return this.#inOrder(this.#graph.nodes.map((node) => () => node.init()));
  }

  closeNodes(): MaybePromise<void> {
    this.#streamTimeQueue.clear();
    this.#wallClockQueue.clear();
    return this.#inOrder(this.#graph.nodes.map((node) => () => node.close()));
  }

  /** The source node of this sub-topology that reads `topic`. */
  sourceFor(topic: string): string {
    const known = this.#sourceByTopic.get(topic);
    if (known !== undefined) return known;
    const found = this.#findSource(topic);
    this.#sourceByTopic.set(topic, found);
    return found;
  }

  #findSource(topic: string): string {
    for (const [name, source] of this.#graph.sources) {
      if (source.model.topics.includes(topic) || (source.model.pattern !== undefined && matchesWhole(source.model.pattern, topic))) return name;
    }
    throw new TopologyError(
      `Task ${this.taskIdText} received a record of topic "${topic}", but no source of sub-topology ${this.#options.subtopology.id} reads it. ` +
        'Only hand a task records of its own input partitions.',
      { taskId: this.taskIdText },
    );
  }

  decoderFor(sourceName: string): (raw: RawRecord, partitionTimeMs: number) => StampedRecord | undefined {
    const source = this.#graph.sources.get(sourceName);
    if (source === undefined) throw new TopologyError(`Task ${this.taskIdText} has no source node "${sourceName}".`, { taskId: this.taskIdText });
    const config = this.#options.config;
    return createRecordDecoder({
      source: source.model,
      taskId: this.taskIdText,
      keyDeserializer: source.model.keyDeserializer ?? config.defaultKeySerde,
      valueDeserializer: source.model.valueDeserializer ?? config.defaultValueSerde,
      timestampExtractor: source.model.timestampExtractor ?? config.defaultTimestampExtractor ?? recordTimestamp,
      handler: config.deserializationExceptionHandler ?? deserializationHandlers.logAndFail,
      collector: this.collector,
      logger: this.logger,
      metrics: this.metrics,
    });
  }

  /** Runs one record through the source node, awaiting every async processor it reached. */
  processRecord(sourceName: string, record: Record<unknown, unknown>): MaybePromise<void> {
    const metrics = this.metrics;
    const startedAt = metrics.timesLatency ? performance.now() : 0;
    const source = this.#graph.sources.get(sourceName);
    const received = source === undefined ? undefined : source.node.receive(record);
    const drained = received === undefined && this.#pending.size === 0 ? undefined : chain(received, () => this.#drainPending());
    if (drained === undefined) {
      metrics.recordProcess(metrics.timesLatency ? performance.now() - startedAt : 0);
      return undefined;
    }
    return drained.then(() => metrics.recordProcess(metrics.timesLatency ? performance.now() - startedAt : 0));
  }

  /** Hands buffered records to batch processors, in topological order, until none remain. */
  flushBatches(): MaybePromise<void> {
    if (!this.#batchesPending) return undefined;
    const next = this.#graph.batchNodes.find((node) => node.bufferedCount > 0);
    if (next === undefined) {
      this.#batchesPending = false;
      return undefined;
    }
    const metadata = this.recordMetadata();
    this.#options.view.setRecordMetadata(undefined);
    return chain(chain(next.flushBatch(), () => this.#drainPending()), () => {
      this.#options.view.setRecordMetadata(metadata);
      return this.flushBatches();
    });
  }

  /** Fires due punctuators of one type at `nowMs`; batches are flushed first. */
  punctuate(type: PunctuationType, nowMs: number): MaybePromise<boolean> {
    const queue = type === PunctuationType.STREAM_TIME ? this.#streamTimeQueue : this.#wallClockQueue;
    if (nowMs < 0 || !queue.isDue(nowMs)) return false;
    return chain(this.flushBatches(), () => queue.mayPunctuate(nowMs, (schedule, timestampMs) => this.#runPunctuator(schedule, timestampMs)));
  }

  #runPunctuator(schedule: PunctuationSchedule, timestampMs: number): MaybePromise<void> {
    const startedAt = this.metrics.timesLatency ? performance.now() : 0;
    this.#options.view.setRecordMetadata(undefined);
    this.#options.view.markCommitNeeded();
    const handle = (error: unknown): void => {
      this.reportProcessingError(schedule.nodeName, [], error);
      this.#handlePunctuatorFailure(schedule, timestampMs, error);
    };
    let result: void | Promise<void>;
    try {
      result = schedule.punctuator(timestampMs);
    } catch (error) {
      result = undefined;
      handle(error);
    }
    const settled = isPromiseLike(result) ? result.then(undefined, handle) : undefined;
    return chain(chain(chain(settled, () => this.#drainPending()), () => this.flushBatches()), () =>
      this.metrics.recordPunctuate(this.metrics.timesLatency ? performance.now() - startedAt : 0),
    );
  }

  /**
   * As Kafka Streams 4.x (KIP-1033, StreamTask.punctuate): an error thrown by a punctuator goes
   * to the processing exception handler with a `null` record; CONTINUE skips the rest of that
   * punctuation (counted as a dropped record), FAIL stops the task.
   */
  #handlePunctuatorFailure(schedule: PunctuationSchedule, timestampMs: number, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = (message: string, cause: unknown): never => {
      throw markHandled(new ProcessingError(message, { cause, taskId: this.taskIdText }));
    };
    if (typeof error === 'object' && error !== null && isHandled(error)) throw error;
    const context = { taskId: this.taskIdText, processorNodeName: schedule.nodeName, recordMetadata: undefined, logger: this.logger };
    let response: string;
    try {
      response = this.processingExceptionHandler.handle(context, null, error);
    } catch (handlerError) {
      return failure(`The processing exception handler failed on an error of a punctuator of processor "${schedule.nodeName}" in task ${this.taskIdText}: ${String(handlerError)}. Fix the handler.`, handlerError);
    }
    if (response === 'CONTINUE') {
      this.metrics.recordDropped('processing-error');
      return;
    }
    failure(
      `A punctuator of processor "${schedule.nodeName}" in task ${this.taskIdText} failed at ${timestampMs}: ${reason}. ` +
        'Fix the punctuator, or set a processing exception handler (e.g. processingHandlers.logAndContinue) to skip failed punctuations.',
      error,
    );
  }

  #drainPending(): MaybePromise<void> {
    if (this.#pending.size === 0) return undefined;
    return Promise.all(this.#pending).then(() => this.#drainPending());
  }

  #inOrder(actions: readonly (() => MaybePromise<void>)[]): MaybePromise<void> {
    for (let index = 0; index < actions.length; index++) {
      const result = (actions[index] as () => MaybePromise<void>)();
      if (isPromiseLike(result)) return result.then(() => this.#inOrder(actions.slice(index + 1)));
    }
    return undefined;
  }
}
