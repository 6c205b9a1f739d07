import { StreamsError } from '@kstreams/core';

/**
 * The lifecycle of a KafkaStreams instance, as in Kafka Streams:
 *
 * ```
 * CREATED ──start()──▶ REBALANCING ◀──▶ RUNNING
 *    │                    │    │           │  │
 *    │                    │    └──error──▶ PENDING_ERROR ──▶ ERROR
 *    └────────close()─────┴───────────────▶ PENDING_SHUTDOWN ──▶ NOT_RUNNING
 * ```
 */
export type KafkaStreamsState =
  | 'CREATED'
  | 'REBALANCING'
  | 'RUNNING'
  | 'PENDING_SHUTDOWN'
  | 'NOT_RUNNING'
  | 'PENDING_ERROR'
  | 'ERROR';

/** Valid next states of each state (Java's `KafkaStreams.State`). */
export const VALID_TRANSITIONS: { readonly [state in KafkaStreamsState]: readonly KafkaStreamsState[] } = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN'],
  REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

/** Called on every state change with the new and the previous state. */
export type StateListener = (newState: KafkaStreamsState, oldState: KafkaStreamsState) => void;

/** True while the instance processes or is about to (`isRunningOrRebalancing` in Java). */
export function isRunningOrRebalancing(state: KafkaStreamsState): boolean {
  return state === 'RUNNING' || state === 'REBALANCING';
}

/** True once the instance has stopped for good (cleanly or after an error). */
export function hasCompletedShutdown(state: KafkaStreamsState): boolean {
  return state === 'NOT_RUNNING' || state === 'ERROR';
}

/**
 * Holds the current state, rejects transitions Kafka Streams does not allow, and tells the
 * listeners. A listener that throws is reported to `onListenerError` and never stops the
 * transition or the other listeners.
 *
 * @example
 * const machine = new KafkaStreamsStateMachine();
 * machine.onStateChange((next, previous) => log(`${previous} -> ${next}`));
 * machine.transitionTo('REBALANCING');
 */
export class KafkaStreamsStateMachine {
  #state: KafkaStreamsState = 'CREATED';
  readonly #listeners = new Set<StateListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => undefined);
  }

  /** The current state. */
  get state(): KafkaStreamsState {
    return this.#state;
  }

  /** Adds a listener; returns a function that removes it. */
  onStateChange(listener: StateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether moving from the current state to `next` is allowed. */
  canTransitionTo(next: KafkaStreamsState): boolean {
    return VALID_TRANSITIONS[this.#state].includes(next);
  }

  /**
   * Moves to `next` and tells the listeners (a same-state move, RUNNING to RUNNING, is allowed
   * and silent). Throws a `StreamsError` naming both states when the move is not allowed.
   */
  transitionTo(next: KafkaStreamsState): void {
    if (!this.tryTransitionTo(next)) {
      throw new StreamsError(
        `KafkaStreams cannot go from ${this.#state} to ${next}; from ${this.#state} it may only go to ` +
          `${VALID_TRANSITIONS[this.#state].join(', ') || 'nothing (it is final)'}.`,
      );
    }
  }

  /** Like {@link transitionTo} but returns false instead of throwing. */
  tryTransitionTo(next: KafkaStreamsState): boolean {
    if (!this.canTransitionTo(next)) return false;
    const previous = this.#state;
    this.#state = next;
    if (previous !== next) this.#notify(next, previous);
    return true;
  }

  #notify(next: KafkaStreamsState, previous: KafkaStreamsState): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(next, previous);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
