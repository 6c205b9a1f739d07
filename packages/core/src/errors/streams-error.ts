const STREAMS_ERROR = Symbol.for('kstreams.error');

/** Options shared by every kstreams error. */
export interface StreamsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The task (e.g. `0_3`) the error belongs to, when there is one. */
  taskId?: string;
  /** Whether retrying the operation may succeed. */
  retriable?: boolean;
}

/**
 * Root of every error kstreams throws. Messages name the thing at fault, why, and what to
 * change. Use {@link StreamsError.isInstance} rather than `instanceof` across package copies.
 */
export class StreamsError extends Error {
  /** The names of the error's classes, its own first: what `isInstance` checks across copies. */
  readonly [STREAMS_ERROR]: readonly string[];
  readonly taskId: string | undefined;
  readonly retriable: boolean;

  constructor(message: string, options: StreamsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.taskId = options.taskId;
    this.retriable = options.retriable ?? false;
    this[STREAMS_ERROR] = classNames(new.target);
  }

  /**
   * True when `value` is an error of this class or a subclass, even one created by another copy
   * of this package: `StreamsError.isInstance` accepts every kstreams error,
   * `TaskCorruptedError.isInstance` only task-corrupted ones.
   */
  static isInstance<T extends abstract new (...args: never[]) => StreamsError>(this: T, value: unknown): value is InstanceType<T> {
    if (typeof value !== 'object' || value === null || !(STREAMS_ERROR in value)) return false;
    if ((this as unknown) === StreamsError) return true;
    const names = (value as { [STREAMS_ERROR]: unknown })[STREAMS_ERROR];
    return Array.isArray(names) && names.includes(this.name);
  }
}

/** `target`'s name and its superclasses' names, up to (without) `Error`. */
function classNames(target: abstract new (...args: never[]) => unknown): string[] {
  const names: string[] = [];
  for (let current: unknown = target; typeof current === 'function' && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push(current.name);
  }
  return names;
}

/** A topology is wired wrongly; thrown by `Topology.build()` and the builder methods. */
export class TopologyError extends StreamsError {}

/** A configuration value is missing or invalid; thrown at construction. */
export class ConfigError extends StreamsError {}

/** A state store cannot be used: unknown, not connected, closed, or restoring. */
export class InvalidStateStoreError extends StreamsError {}

/** A store's files or data cannot be read; the store must be wiped and restored. */
export class TaskCorruptedError extends StreamsError {}

/** The task moved to another instance; its work must stop without committing. */
export class TaskMigratedError extends StreamsError {}

/** Another producer with the same transactional id fenced this one (a zombie). */
export class ProducerFencedError extends StreamsError {}

/** A record could not be (de)serialized. */
export class SerializationError extends StreamsError {}

/** A processor threw while processing a record or punctuating. */
export class ProcessingError extends StreamsError {}
