/** An active task, or a standby task keeping a warm copy of another instance's state. */
export type TaskKind = 'active' | 'standby';

/** A task that was created or closed by a host (the Kafka runtime, the test driver). */
export interface TaskLifecycleEvent {
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
  readonly kind: TaskKind;
  /** The stream thread owning the task, when the host has threads. */
  readonly threadName?: string;
}

/** A commit of one stream thread (or of the test driver). */
export interface CommitEvent {
  /** The tasks whose work the commit covers. */
  readonly taskIds: readonly string[];
  readonly threadName?: string;
}

/**
 * Task-lifecycle and commit hooks a host calls (Kafka Streams has them scattered over its
 * internals; here they are one interface). Every method is optional; a listener that throws is
 * logged and ignored by the host, so telemetry never breaks processing.
 *
 * @example
 * const listener: TaskLifecycleListener = {
 *   onTaskCreated: ({ taskId }) => logger.info(`task ${taskId} created`),
 *   afterCommit: (_commit, { latencyMs }) => commitLatency.record(latencyMs),
 * };
 */
export interface TaskLifecycleListener {
  onTaskCreated?(event: TaskLifecycleEvent): void;
  onTaskClosed?(event: TaskLifecycleEvent & { readonly clean: boolean }): void;
  beforeCommit?(commit: CommitEvent): void;
  /** The commit finished: stores flushed, producer flushed, offsets committed. */
  afterCommit?(commit: CommitEvent, outcome: { readonly latencyMs: number; readonly committedOffsets: number }): void;
}

/** One listener calling each of `listeners` in order; a listener that throws goes to `onError`. */
export function composeTaskLifecycleListeners(
  listeners: readonly (TaskLifecycleListener | undefined)[],
  onError: (error: unknown) => void = () => undefined,
): TaskLifecycleListener {
  const present = listeners.filter((listener): listener is TaskLifecycleListener => listener !== undefined);
  const each = (call: (listener: TaskLifecycleListener) => void): void => {
    for (const listener of present) {
      try {
        call(listener);
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    onTaskCreated: (event) => each((listener) => listener.onTaskCreated?.(event)),
    onTaskClosed: (event) => each((listener) => listener.onTaskClosed?.(event)),
    beforeCommit: (commit) => each((listener) => listener.beforeCommit?.(commit)),
    afterCommit: (commit, outcome) => each((listener) => listener.afterCommit?.(commit, outcome)),
  };
}
