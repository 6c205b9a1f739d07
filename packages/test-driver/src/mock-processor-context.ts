import {
  InvalidStateStoreError,
  type Cancellable,
  type DropReason,
  type ProcessorContext,
  type PunctuationType,
  type Punctuator,
  type Record,
  type RecordMetadata,
  type StateStore,
  type StateStoreContext,
  type TaskId,
} from '@kstreams/core';

/** A record a processor forwarded, and the child it named (if any). */
export interface CapturedForward<K, V> {
  readonly record: Record<K, V>;
  readonly childName: string | undefined;
}

/** A punctuator a processor scheduled; call `punctuator(time)` to fire it by hand. */
export interface CapturedPunctuator {
  readonly intervalMs: number;
  readonly type: PunctuationType;
  readonly punctuator: Punctuator;
  readonly cancelled: boolean;
}

/** Starting values of a {@link MockProcessorContext}. */
export interface MockProcessorContextOptions {
  readonly applicationId?: string;
  readonly taskId?: TaskId;
  readonly appConfigs?: Readonly<{ [key: string]: unknown }>;
  readonly recordMetadata?: RecordMetadata;
  readonly streamTimeMs?: number;
  readonly systemTimeMs?: number;
}

/**
 * A `ProcessorContext` for testing one processor alone: captures forwards, scheduled
 * punctuators and commit requests; record metadata, stream time and system time are set by the
 * test; stores are added by the test (initialise them with {@link getStateStoreContext}).
 *
 * @example
 * const context = new MockProcessorContext<string, number>();
 * processor.init(context);
 * processor.process(new Record('a', 'x', 0));
 * expect(context.forwarded().map((forward) => forward.record.value)).toEqual([1]);
 */
export class MockProcessorContext<KForward = unknown, VForward = unknown> implements ProcessorContext<KForward, VForward> {
  readonly #applicationId: string;
  readonly #taskId: TaskId;
  readonly #appConfigs: Readonly<{ [key: string]: unknown }>;
  readonly #stores = new Map<string, StateStore>();
  #forwarded: CapturedForward<KForward, VForward>[] = [];
  readonly #punctuators: { intervalMs: number; type: PunctuationType; punctuator: Punctuator; cancelled: boolean }[] = [];
  #committed = false;
  readonly #dropped = new Map<DropReason, number>();
  #recordMetadata: RecordMetadata | undefined;
  #streamTimeMs: number;
  #systemTimeMs: number;

  constructor(options: MockProcessorContextOptions = {}) {
    this.#applicationId = options.applicationId ?? 'mock-application';
    this.#taskId = options.taskId ?? { subtopology: 0, partition: 0 };
    this.#appConfigs = options.appConfigs ?? {};
    this.#recordMetadata = options.recordMetadata;
    this.#streamTimeMs = options.streamTimeMs ?? -1;
    this.#systemTimeMs = options.systemTimeMs ?? 0;
  }

  applicationId(): string {
    return this.#applicationId;
  }

  taskId(): TaskId {
    return this.#taskId;
  }

  appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.#appConfigs;
  }

  recordMetadata(): RecordMetadata | undefined {
    return this.#recordMetadata;
  }

  currentStreamTimeMs(): number {
    return this.#streamTimeMs;
  }

  currentSystemTimeMs(): number {
    return this.#systemTimeMs;
  }

  getStateStore<S extends StateStore = StateStore>(name: string): S {
    const store = this.#stores.get(name);
    if (store === undefined) {
      throw new InvalidStateStoreError(`MockProcessorContext has no state store "${name}". Add it with context.addStateStore(store) first.`);
    }
    return store as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`The punctuation interval must be a whole number >= 1, got ${intervalMs}.`);
    const entry = { intervalMs, type, punctuator, cancelled: false };
    this.#punctuators.push(entry);
    return { cancel: () => { entry.cancelled = true; } };
  }

  commit(): void {
    this.#committed = true;
  }

  recordDropped(reason: DropReason): void {
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + 1);
  }

  /** Records the processor reported as dropped, by reason. */
  droppedRecords(): ReadonlyMap<DropReason, number> {
    return this.#dropped;
  }

  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void {
    this.#forwarded.push({ record, childName });
  }

  forwardBatch<K extends KForward, V extends VForward>(records: readonly Record<K, V>[], childName?: string): void {
    for (const record of records) this.forward(record, childName);
  }

  /** Records forwarded so far, optionally only those sent to `childName`. */
  forwarded(childName?: string): CapturedForward<KForward, VForward>[] {
    return childName === undefined ? [...this.#forwarded] : this.#forwarded.filter((forward) => forward.childName === childName);
  }

  resetForwarded(): void {
    this.#forwarded = [];
  }

  /** Punctuators scheduled so far (cancelled ones included, marked). */
  scheduledPunctuators(): CapturedPunctuator[] {
    return this.#punctuators.map((entry) => ({ ...entry }));
  }

  /** True when the processor called `commit()` since the last reset. */
  committed(): boolean {
    return this.#committed;
  }

  resetCommit(): void {
    this.#committed = false;
  }

  setRecordMetadata(metadata: RecordMetadata | undefined): void {
    this.#recordMetadata = metadata;
  }

  setCurrentStreamTimeMs(timestampMs: number): void {
    this.#streamTimeMs = timestampMs;
  }

  setCurrentSystemTimeMs(timestampMs: number): void {
    this.#systemTimeMs = timestampMs;
  }

  /** Makes `store` available through `getStateStore(store.name)`. */
  addStateStore(store: StateStore): void {
    this.#stores.set(store.name, store);
  }

  /** A context to `init` stores with: no changelog, no cache, state kept in memory. */
  getStateStoreContext(): StateStoreContext {
    return {
      applicationId: () => this.#applicationId,
      taskId: () => `${this.#taskId.subtopology}_${this.#taskId.partition}`,
      appConfigs: () => this.#appConfigs,
      stateDirectory: () => undefined,
      currentStreamTimeMs: () => this.#streamTimeMs,
      register: () => undefined,
      changelogWriter: () => undefined,
      cacheBudget: () => undefined,
    };
  }
}
