import {
  chain,
  Headers,
  InvalidStateStoreError,
  ManualClock,
  StreamTask,
  StreamsError,
  type Deserializer,
  type KeyValueStore,
  type MaybePromise,
  type Serializer,
  type SessionStore,
  type StateStore,
  type TaskConfig,
  type TimestampedKeyValueStore,
  type TopologyModel,
  type WindowStore,
} from '@kstreams/core';
import { OutputBuffer } from './output-buffer.js';
import { TestInputTopic, type InputTopicOptions } from './test-input-topic.js';
import { TestOutputTopic, type OutputSource } from './test-output-topic.js';
import type { CapturedRecord } from './test-record.js';

/** Driver settings: the engine's task config, with the application id optional. */
export type TestDriverConfig = Partial<Omit<TaskConfig, 'clock'>>;

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
  readonly #output = new OutputBuffer();
  readonly #tasks: StreamTask[];
  readonly #nextOffsetByTopic = new Map<string, number>();
  readonly #taskByTopic = new Map<string, StreamTask | undefined>();
  #pending: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;
  #closed = false;

  constructor(topology: TopologyModel | BuildsTopology, config: TestDriverConfig = {}, initialWallClockTimeMs = 0) {
    this.#model = 'build' in topology ? topology.build() : topology;
    this.#clock = new ManualClock(initialWallClockTimeMs);
    const taskConfig: TaskConfig = { applicationId: 'topology-test-driver', ...config, clock: this.#clock };
    this.#tasks = this.#model.subtopologies.map(
      (subtopology) => new StreamTask({ taskId: { subtopology: subtopology.id, partition: 0 }, model: this.#model, config: taskConfig, collector: this.#output }),
    );
    this.#run(() => this.#inOrder(this.#tasks, (task) => task.initialize()));
  }

  /** An input topic that serializes with the given serializers. */
  createInputTopic<K, V>(name: string, keySerializer: Serializer<K>, valueSerializer: Serializer<V>, options: InputTopicOptions = {}): TestInputTopic<K, V> {
    this.#taskFor(name);
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

  /** Every store of every task, by name. */
  getAllStateStores(): Map<string, StateStore> {
    const stores = new Map<string, StateStore>();
    for (const task of this.#tasks) for (const [name, store] of task.stores()) stores.set(name, store);
    return stores;
  }

  /** Closes every task (processors, then stores). Idempotent; await it when stores close asynchronously. */
  close(): MaybePromise<void> {
    if (this.#closed) return undefined;
    this.#closed = true;
    const closeAll = (): MaybePromise<void> => this.#inOrder(this.#tasks, (task) => task.close());
    return this.#pending === undefined ? closeAll() : this.#pending.then(closeAll);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #pipe(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): void {
    if (this.#closed) throw new StreamsError(`Cannot pipe into topic "${topic}": the driver is closed.`);
    this.#run(() => this.#process({ topic, key, value, timestamp, headers }));
  }

  #process(record: CapturedRecord): MaybePromise<void> {
    const task = this.#taskFor(record.topic);
    const offset = this.#nextOffsetByTopic.get(record.topic) ?? 0;
    this.#nextOffsetByTopic.set(record.topic, offset + 1);
    task.addRecords(record.topic, 0, [{ ...record, partition: 0, offset }]);
    return chain(task.process(), () => this.#commitAndCapture(task));
  }

  #commitAndCapture(task: StreamTask): MaybePromise<void> {
    const committed = chain(task.prepareCommit(), () => chain(this.#output.flush(), () => task.postCommit()));
    return chain(committed, () => {
      // As Java's driver: records produced to a topic the topology reads are piped back in.
      const pipedBack = this.#output.drain().filter((produced) => this.#findTask(produced.topic) !== undefined);
      return this.#inOrder(pipedBack, (produced) => this.#process(produced));
    });
  }

  #findTask(topic: string): StreamTask | undefined {
    if (this.#taskByTopic.has(topic)) return this.#taskByTopic.get(topic);
    const found = this.#tasks.find((task) => {
      const subtopology = this.#model.subtopologies.find((candidate) => candidate.id === task.id.subtopology);
      return subtopology !== undefined && (subtopology.sourceTopics.includes(topic) || subtopology.sourcePatterns.some((pattern) => pattern.test(topic)));
    });
    this.#taskByTopic.set(topic, found);
    return found;
  }

  #taskFor(topic: string): StreamTask {
    const task = this.#findTask(topic);
    if (task !== undefined) return task;
    const known = this.#model.subtopologies.flatMap((subtopology) => subtopology.sourceTopics).map((name) => `"${name}"`).join(', ') || 'none';
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
