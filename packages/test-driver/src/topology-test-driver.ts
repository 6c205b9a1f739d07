import {
  chain,
  createCacheBudget,
  GlobalStateTask,
  Headers,
  matchesWhole,
  InvalidStateStoreError,
  ManualClock,
  StreamTask,
  StreamsError,
  type Deserializer,
  type KeyValueStore,
  type MaybePromise,
  type ChangelogWriter,
  type DropReason,
  type Serializer,
  type SessionStore,
  type StateStore,
  type TaskConfig,
  type TimestampedKeyValueStore,
  type TopologyModel,
  type WindowStore,
} from '@kstreams/core';
import { OutputBuffer } from './output-buffer.js';
import { wipeStateDirectory } from './wipe-state-directory.js';
import { TestInputTopic, type InputTopicOptions } from './test-input-topic.js';
import { TestOutputTopic, type OutputSource } from './test-output-topic.js';

/** Driver settings: the engine's task config, with the application id optional. */
export type TestDriverConfig = Partial<Omit<TaskConfig, 'clock'>> & {
  /**
   * Size of the record cache shared by the driver's caching stores (Kafka Streams'
   * `statestore.cache.max.bytes`, default 10 MiB). The driver commits after every record, so a
   * cached store writes down and forwards each update at once, as Java's driver does.
   */
  readonly statestoreCacheMaxBytes?: number;
  /**
   * Keep `<stateDir>/<applicationId>` after `close()`, e.g. to look at LMDB files while
   * debugging. Default `false`: `close()` deletes it (and `stateDir` when that leaves it empty),
   * so the next driver with the same `stateDir` starts empty, as in Java.
   */
  readonly keepStateDir?: boolean;
};

const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/** Where records of one input topic go: a stream task, or the global task when `task` is undefined. */
interface Target {
  readonly task: StreamTask | undefined;
  nextOffset: number;
}

/** Anything with a `build()` returning the model, e.g. a `Topology`. */
export interface BuildsTopology {
  build(): TopologyModel;
}

/**
 * Runs a topology in process on the production task engine (Kafka Streams'
 * TopologyTestDriver): one task per sub-topology, single-partition input topics, a commit after
 * every record, real serdes. Piping is synchronous while processors are; when a processor or
 * punctuator returns a promise, call `await driver.flush()` before reading outputs or stores.
 *
 * @example
 * await using driver = new TopologyTestDriver(topology);
 * const input = driver.createInputTopic('words', Serdes.string(), Serdes.string());
 * const output = driver.createOutputTopic('counts', Serdes.string(), Serdes.int64());
 * input.pipeInput('a', 'hello');
 * expect(output.readKeyValue()).toEqual({ key: 'hello', value: 1n });
 */
export class TopologyTestDriver implements AsyncDisposable {
  readonly #model: TopologyModel;
  readonly #clock: ManualClock;
  readonly #output = new OutputBuffer((topic) => this.#reads(topic));
  readonly #tasks: StreamTask[];
  readonly #globalTask: GlobalStateTask | undefined;
  readonly #targetByTopic = new Map<string, Target | undefined>();
  #pending: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;
  #closed = false;
  /** What `close()` deletes: `stateDir` and the application id, unless the state is kept. */
  readonly #stateToWipe: { readonly stateDir: string; readonly applicationId: string } | undefined;

  constructor(topology: TopologyModel | BuildsTopology, config: TestDriverConfig = {}, initialWallClockTimeMs = 0) {
    this.#model = 'build' in topology ? topology.build() : topology;
    this.#clock = new ManualClock(initialWallClockTimeMs);
    const { statestoreCacheMaxBytes, keepStateDir, ...engineConfig } = config;
    const taskConfig: TaskConfig = { applicationId: 'topology-test-driver', ...engineConfig, clock: this.#clock };
    const { stateDir, applicationId } = taskConfig;
    this.#stateToWipe = stateDir === undefined || keepStateDir === true ? undefined : { stateDir, applicationId };
    const cacheBudget = createCacheBudget(statestoreCacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES);
    const globalTask = GlobalStateTask.needed(this.#model) ? new GlobalStateTask({ model: this.#model, config: taskConfig, collector: this.#output }) : undefined;
    this.#globalTask = globalTask;
    this.#tasks = this.#model.subtopologies.map(
      (subtopology) =>
        new StreamTask({
          taskId: { subtopology: subtopology.id, partition: 0 },
          model: this.#model,
          config: taskConfig,
          collector: this.#output,
          stateManagerHooks: { cacheBudget: () => cacheBudget, changelogWriter: (storeName) => this.#changelogWriter(taskConfig.applicationId, storeName) },
          ...(globalTask === undefined ? {} : { globalStores: globalTask }),
        }),
    );
    // Global stores first, as Kafka Streams: stream processors may read them in init().
    this.#run(() => chain(globalTask?.initialize(), () => this.#inOrder(this.#tasks, (task) => task.initialize())));
  }

  /** An input topic that serializes with the given serializers. */
  createInputTopic<K, V>(name: string, keySerializer: Serializer<K>, valueSerializer: Serializer<V>, options: InputTopicOptions = {}): TestInputTopic<K, V> {
    this.#targetFor(name);
    return new TestInputTopic(name, keySerializer, valueSerializer, (topic, key, value, timestamp, headers) => this.#pipe(topic, key, value, timestamp, headers), {
      startTimestampMs: options.startTimestampMs ?? this.#clock.nowMs(),
      autoAdvanceMs: options.autoAdvanceMs ?? 0,
    });
  }

  /** An output topic that deserializes with the given deserializers. */
  createOutputTopic<K, V>(name: string, keyDeserializer: Deserializer<K>, valueDeserializer: Deserializer<V>): TestOutputTopic<K, V> {
    const output = this.#output;
    const source: OutputSource = {
      read: (topic) => {
        this.#assertSettled('read output topics');
        return output.read(topic);
      },
      size: (topic) => {
        this.#assertSettled('read output topics');
        return output.size(topic);
      },
      producedTopics: () => output.producedTopics(),
    };
    return new TestOutputTopic(name, keyDeserializer, valueDeserializer, source);
  }

  /** Moves wall-clock time forward and runs due wall-clock punctuators (then commits). */
  advanceWallClockTime(milliseconds: number): void {
    this.#run(() => {
      this.#clock.advance(milliseconds);
      return this.#inOrder(this.#tasks, (task) => chain(task.maybePunctuateWallClock(), () => this.#commitAndCapture(task)));
    });
  }

  /** Resolves once every async processor and punctuator started so far is done; rethrows their failure. */
  async flush(): Promise<void> {
    while (this.#pending !== undefined) await this.#pending;
    this.#throwFailure();
  }

  /** Topics the topology produced to so far (sinks, dead-letter topics, pipe-back topics). */
  producedTopicNames(): Set<string> {
    return this.#output.producedTopics();
  }

  /** Any store of the topology; throws `InvalidStateStoreError` listing the stores when unknown. */
  getStateStore<S extends StateStore = StateStore>(name: string): S {
    this.#assertSettled('read state stores');
    const globalStore = this.#globalTask?.getStore(name);
    if (globalStore !== undefined) return globalStore as S;
    for (const task of this.#tasks) {
      const store = task.getStore(name);
      if (store !== undefined) return store as S;
    }
    const known = [...this.getAllStateStores().keys()].map((storeName) => `"${storeName}"`).join(', ') || 'none';
    throw new InvalidStateStoreError(`The topology has no state store "${name}" (stores: ${known}). Check the name given to the store builder.`);
  }

  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    return this.getStateStore<KeyValueStore<K, V>>(name);
  }

  getTimestampedKeyValueStore<K, V>(name: string): TimestampedKeyValueStore<K, V> {
    return this.getStateStore<TimestampedKeyValueStore<K, V>>(name);
  }

  getWindowStore<K, V>(name: string): WindowStore<K, V> {
    return this.getStateStore<WindowStore<K, V>>(name);
  }

  getSessionStore<K, V>(name: string): SessionStore<K, V> {
    return this.getStateStore<SessionStore<K, V>>(name);
  }

  /** Records dropped so far by every task (bad bytes, handled errors, late records...), by reason. */
  droppedRecords(): Map<DropReason, number> {
    const dropped = new Map<DropReason, number>();
    for (const task of this.#tasks) {
      for (const [reason, count] of task.metrics.droppedRecords()) dropped.set(reason, (dropped.get(reason) ?? 0) + count);
    }
    return dropped;
  }

  /** Every store of every task, by name. */
  getAllStateStores(): Map<string, StateStore> {
    const stores = new Map<string, StateStore>(this.#globalTask?.stores());
    for (const task of this.#tasks) for (const [name, store] of task.stores()) stores.set(name, store);
    return stores;
  }

  /**
   * Closes every task (processors, then stores), then deletes the state directory's files of this
   * driver unless `keepStateDir` is set. Idempotent; await it when stores close asynchronously.
   */
  close(): MaybePromise<void> {
    if (this.#closed) return undefined;
    this.#closed = true;
    const wipe = this.#stateToWipe;
    const closeTasks = (): MaybePromise<void> => chain(this.#inOrder(this.#tasks, (task) => task.close()), () => this.#globalTask?.close());
    const closeAll = (): MaybePromise<void> => chain(closeTasks(), () => (wipe === undefined ? undefined : wipeStateDirectory(wipe.stateDir, wipe.applicationId)));
    return this.#pending === undefined ? closeAll() : this.#pending.then(closeAll);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #pipe(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): void {
    if (this.#closed) throw new StreamsError(`Cannot pipe into topic "${topic}": the driver is closed.`);
    const target = this.#targetFor(topic);
    if (this.#pending === undefined && this.#failure === undefined) {
      // The common, synchronous case: no closure per record.
      const result = this.#process(target, topic, key, value, timestamp, headers);
      if (result !== undefined) this.#run(() => result);
      return;
    }
    this.#run(() => this.#process(target, topic, key, value, timestamp, headers));
  }

  #process(target: Target, topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): MaybePromise<void> {
    const raw = { topic, partition: 0, offset: target.nextOffset++, key, value, timestamp, headers };
    const globalTask = this.#globalTask;
    if (target.task === undefined && globalTask !== undefined) {
      // As Java's driver: a record piped into a global topic updates the global store at once.
      return chain(globalTask.update(raw), () => chain(globalTask.flush(), () => this.#pipeBack()));
    }
    const task = target.task as StreamTask;
    task.addRecords(topic, 0, [raw]);
    return chain(task.process(), () => this.#commitAndCapture(task));
  }

  /**
   * As Java's driver: a logged store's writes are captured as records of
   * `<applicationId>-<store>-changelog`, readable with `createOutputTopic`. Caching stores write
   * down at each commit (after every piped record), so a key appears once per commit.
   */
  #changelogWriter(applicationId: string, storeName: string): ChangelogWriter {
    const topic = `${applicationId}-${storeName}-changelog`;
    const producerName = `${storeName} changelog`;
    return {
      log: (key, value, timestampMs) => {
        this.#output.send({ topic, partition: 0, key, value, headers: new Headers(), timestamp: timestampMs, producerName });
      },
    };
  }

  #commitAndCapture(task: StreamTask): MaybePromise<void> {
    // Nothing processed or punctuated since the last commit: nothing to flush.
    if (!task.commitNeeded && !task.commitRequested) return this.#pipeBack();
    const committed = chain(task.prepareCommit(), () => chain(this.#output.flush(), () => task.postCommit()));
    return chain(committed, () => this.#pipeBack());
  }

  /** As Java's driver: records produced to a topic the topology reads are piped back in. */
  #pipeBack(): MaybePromise<void> {
    const pipedBack = this.#output.drainPipedBack();
    if (pipedBack === undefined) return undefined;
    return this.#inOrder(pipedBack, (produced) =>
      this.#process(this.#targetFor(produced.topic), produced.topic, produced.key, produced.value, produced.timestamp, produced.headers),
    );
  }

  /** Whether the topology reads `topic` (a stream task's source or a global store's topic). */
  #reads(topic: string): boolean {
    return this.#findTarget(topic) !== undefined;
  }

  #findTarget(topic: string): Target | undefined {
    if (this.#targetByTopic.has(topic)) return this.#targetByTopic.get(topic);
    const task = this.#tasks.find((candidate) => {
      const subtopology = this.#model.subtopologies.find((model) => model.id === candidate.id.subtopology);
      return subtopology !== undefined && (subtopology.sourceTopics.includes(topic) || subtopology.sourcePatterns.some((pattern) => matchesWhole(pattern, topic)));
    });
    const isGlobal = this.#globalTask?.topics.includes(topic) === true;
    const target = task === undefined && !isGlobal ? undefined : { task, nextOffset: 0 };
    this.#targetByTopic.set(topic, target);
    return target;
  }

  #targetFor(topic: string): Target {
    const target = this.#findTarget(topic);
    if (target !== undefined) return target;
    const topics = [...this.#model.subtopologies.flatMap((subtopology) => subtopology.sourceTopics), ...(this.#globalTask?.topics ?? [])];
    const known = topics.map((name) => `"${name}"`).join(', ') || 'none';
    throw new StreamsError(`Unknown input topic "${topic}": no source of the topology reads it (input topics: ${known}). Check the topic name.`);
  }

  /** Runs `step` now, or after the async work already under way; remembers an async failure. */
  #run(step: () => MaybePromise<void>): void {
    this.#throwFailure();
    const result = this.#pending === undefined ? step() : this.#pending.then(step);
    if (result === undefined) return;
    const pending: Promise<void> = result.then(
      () => {
        if (this.#pending === pending) this.#pending = undefined;
      },
      (error: unknown) => {
        if (this.#pending === pending) this.#pending = undefined;
        this.#failure = { error };
      },
    );
    this.#pending = pending;
  }

  #throwFailure(): void {
    const failure = this.#failure;
    if (failure === undefined) return;
    this.#failure = undefined;
    throw failure.error;
  }

  #assertSettled(action: string): void {
    this.#throwFailure();
    if (this.#pending !== undefined) {
      throw new StreamsError(`Cannot ${action} while records are still being processed asynchronously (a processor returned a promise). Call \`await driver.flush()\` first.`);
    }
  }

  #inOrder<T>(items: readonly T[], action: (item: T) => MaybePromise<void>): MaybePromise<void> {
    for (let index = 0; index < items.length; index++) {
      const result = action(items[index] as T);
      if (result !== undefined) return result.then(() => this.#inOrder(items.slice(index + 1), action));
    }
    return undefined;
  }
}
