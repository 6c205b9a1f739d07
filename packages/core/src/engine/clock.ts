/** The time source of the engine: wall-clock punctuation and `currentSystemTimeMs()` read it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

/** The real system clock. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/**
 * A clock that only moves when told to; the test driver uses it for wall-clock time.
 *
 * @example
 * const clock = new ManualClock(0);
 * clock.advance(1_000);
 */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  /** Moves the clock forward; a negative amount is rejected because time never goes back. */
  advance(milliseconds: number): void {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new RangeError(`ManualClock.advance needs a non-negative number of milliseconds, got ${milliseconds}.`);
    }
    this.#nowMs += milliseconds;
  }
}
