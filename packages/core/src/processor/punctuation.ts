/** Which clock drives a punctuator. */
export enum PunctuationType {
  /** Fires as stream time (max record timestamp seen by the task) passes each interval. */
  STREAM_TIME = 'STREAM_TIME',
  /** Fires from the system clock, best effort, between records. */
  WALL_CLOCK_TIME = 'WALL_CLOCK_TIME',
}

/** Called with the time (stream or wall clock, ms) at which the punctuation is due. */
export type Punctuator = (timestampMs: number) => void | Promise<void>;

/** Handle returned by `schedule()`; `cancel()` stops future punctuations. */
export interface Cancellable {
  cancel(): void;
}
