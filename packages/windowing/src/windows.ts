import { ConfigError, type Window } from '@kstreams/core';

function requireDuration(owner: string, option: string, value: number, minimum: number): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(`${owner}: \`${option}\` must be a whole number of milliseconds >= ${minimum}, got ${value}.`);
  }
  return value;
}

/**
 * Tumbling or hopping time windows, as Kafka Streams' `TimeWindows`: windows of `sizeMs`
 * starting every `advanceMs` (tumbling when they are equal), aligned to the epoch, half-open
 * `[start, end)`. A record is added while `windowEnd > streamTime - graceMs`; later it is
 * dropped and counted (`late-record`).
 *
 * @example
 * const tumbling = TimeWindows.ofSizeAndGrace(60_000, 10_000);
 * const hopping = TimeWindows.ofSizeWithNoGrace(60_000).advanceBy(15_000);
 */
export class TimeWindows {
  readonly kind = 'time';

  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  /** Tumbling windows of `sizeMs` that accept records up to `graceMs` after they end. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    requireDuration('TimeWindows', 'sizeMs', sizeMs, 1);
    return new TimeWindows(sizeMs, sizeMs, requireDuration('TimeWindows', 'graceMs', graceMs, 0));
  }

  /** Tumbling windows of `sizeMs` that close as soon as stream time passes their end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Hopping windows: a new window every `advanceMs` (0 < advanceMs <= sizeMs). */
  advanceBy(advanceMs: number): TimeWindows {
    requireDuration('TimeWindows', 'advanceMs', advanceMs, 1);
    if (advanceMs > this.sizeMs) {
      throw new ConfigError(`TimeWindows: advanceMs (${advanceMs}) must not exceed the window size (${this.sizeMs}); windows would leave gaps.`);
    }
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /** Every window containing `timestampMs`, oldest first (Java's `TimeWindows.windowsFor`). */
  windowsFor(timestampMs: number): Window[] {
    const windows: Window[] = [];
    let startMs = Math.floor(Math.max(0, timestampMs - this.sizeMs + this.advanceMs) / this.advanceMs) * this.advanceMs;
    for (; startMs <= timestampMs; startMs += this.advanceMs) windows.push({ startMs, endMs: startMs + this.sizeMs });
    return windows;
  }

  /** How long the window store keeps windows by default: size + grace. */
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }
}

/**
 * Sliding windows, as Kafka Streams' `SlidingWindows`: a window of `timeDifferenceMs` ending at
 * each record (and one starting just after it), both ends inclusive, so every distinct set of
 * records no more than `timeDifferenceMs` apart gets exactly one window.
 *
 * @example
 * const windows = SlidingWindows.ofTimeDifferenceAndGrace(10_000, 2_000);
 */
export class SlidingWindows {
  readonly kind = 'sliding';

  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    return new SlidingWindows(
      requireDuration('SlidingWindows', 'timeDifferenceMs', timeDifferenceMs, 1),
      requireDuration('SlidingWindows', 'graceMs', graceMs, 0),
    );
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Window store retention by default: two time differences + grace (lookups reach that far back). */
  get retentionMs(): number {
    return 2 * this.timeDifferenceMs + this.graceMs;
  }
}

/**
 * Session windows, as Kafka Streams' `SessionWindows`: records of a key closer than
 * `inactivityGapMs` belong to one session; a record bridging two sessions merges them.
 * Sessions are `[start, end]` with both ends inclusive (the first and last record times).
 *
 * @example
 * const sessions = SessionWindows.ofInactivityGapAndGrace(5 * 60_000, 30_000);
 */
export class SessionWindows {
  readonly kind = 'session';

  private constructor(
    readonly inactivityGapMs: number,
    readonly graceMs: number,
  ) {}

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    return new SessionWindows(
      requireDuration('SessionWindows', 'inactivityGapMs', inactivityGapMs, 1),
      requireDuration('SessionWindows', 'graceMs', graceMs, 0),
    );
  }

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }

  /** Session store retention by default: gap + grace. */
  get retentionMs(): number {
    return this.inactivityGapMs + this.graceMs;
  }
}

/**
 * The time bounds of a stream-stream join, as Kafka Streams' `JoinWindows`: a left record at
 * `t` joins right records in `[t - beforeMs, t + afterMs]`. Left/outer results without a match
 * are emitted once stream time passes the record's window end plus `graceMs`.
 *
 * @example
 * const within10s = JoinWindows.ofTimeDifferenceAndGrace(10_000, 1_000);
 */
export class JoinWindows {
  readonly kind = 'join';

  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
  ) {}

  /** Symmetric bounds: `[t - timeDifferenceMs, t + timeDifferenceMs]`. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    requireDuration('JoinWindows', 'timeDifferenceMs', timeDifferenceMs, 0);
    return new JoinWindows(timeDifferenceMs, timeDifferenceMs, requireDuration('JoinWindows', 'graceMs', graceMs, 0));
  }

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Changes how far back (from a left record) right records may be. */
  before(beforeMs: number): JoinWindows {
    return new JoinWindows(requireDuration('JoinWindows', 'beforeMs', beforeMs, 0), this.afterMs, this.graceMs);
  }

  /** Changes how far ahead (from a left record) right records may be. */
  after(afterMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, requireDuration('JoinWindows', 'afterMs', afterMs, 0), this.graceMs);
  }

  /** Join window store size (before + after) and retention (size + grace). */
  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }
}
