import type { DropReason } from '../engine/task-metrics.js';
import type { StateStore } from '../state/state-store.js';
import type { Cancellable, PunctuationType, Punctuator } from './punctuation.js';
import type { Record } from './record.js';
import type { RecordMetadata } from './record-metadata.js';
import type { TaskId } from './task-id.js';

/** What every processor context offers, whatever it may forward. */
export interface ProcessingContext {
  /** The application id (consumer group, prefix of internal topics). */
  applicationId(): string;
  /** The task this processor instance runs in. */
  taskId(): TaskId;
  /** The application's configuration, as given to the runtime or test driver. */
  appConfigs(): Readonly<{ [key: string]: unknown }>;
  /** Topic, partition and offset of the record being processed; `undefined` in punctuators. */
  recordMetadata(): RecordMetadata | undefined;
  /** The task's stream time: the highest record timestamp it has seen (never decreases). */
  currentStreamTimeMs(): number;
  /** The injected clock's time (wall clock in production, controlled in tests). */
  currentSystemTimeMs(): number;
  /**
   * A state store connected to this processor. Throws `InvalidStateStoreError` naming the store
   * when it is unknown or not connected. Pass the store type to get it typed.
   */
  getStateStore<S extends StateStore = StateStore>(name: string): S;
  /**
   * Calls `punctuator` every `intervalMs` (>= 1) of stream time or wall-clock time. Missed
   * intervals are skipped, never fired twice.
   */
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Asks the runtime to commit soon (after the current record). */
  commit(): void;
  /**
   * Counts a record this processor dropped on purpose in the task's `dropped-records` metric,
   * with the reason as attribute (e.g. `late-record` for a record past a window's grace period).
   */
  recordDropped(reason: DropReason): void;
}

/** Context of a `Processor`: forwards records of type `Record<KForward, VForward>`. */
export interface ProcessorContext<KForward = unknown, VForward = unknown> extends ProcessingContext {
  /** Sends a record to all children, or only to the child named `childName`. */
  forward<K extends KForward, V extends VForward>(record: Record<K, V>, childName?: string): void;
  /** Sends many records, in order, to all children (or one child). */
  forwardBatch<K extends KForward, V extends VForward>(records: readonly Record<K, V>[], childName?: string): void;
}

/** Context of a `FixedKeyProcessor`: the key type cannot change. */
export interface FixedKeyProcessorContext<KForward = unknown, VForward = unknown> extends ProcessingContext {
  forward<V extends VForward>(record: Record<KForward, V>, childName?: string): void;
}
