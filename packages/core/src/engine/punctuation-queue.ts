import type { Cancellable, Punctuator } from '../processor/punctuation.js';
import { isPromiseLike, type MaybePromise } from './maybe-promise.js';

/** One scheduled punctuator: when it is next due, and how often. */
export interface PunctuationSchedule {
  readonly nodeName: string;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  /** Next due time (stream time or wall-clock ms). */
  dueMs: number;
  cancelled: boolean;
  /** Scheduling order; breaks ties between schedules due at the same time. */
  readonly sequence: number;
}

/** Runs one due schedule at `timestampMs` (the current stream or wall-clock time). */
export type PunctuationRunner = (schedule: PunctuationSchedule, timestampMs: number) => MaybePromise<void>;

/**
 * The schedules of one punctuation type of one task, as Kafka Streams' PunctuationQueue:
 * a schedule fires when its due time is reached, with the current time as argument; its next
 * due time skips every interval already missed, so it never fires twice for one advance.
 * Schedules due together fire in scheduling order.
 */
export class PunctuationQueue {
  #schedules: PunctuationSchedule[] = [];
  #sequence = 0;

  /** Adds a schedule first due at `firstDueMs`. */
  schedule(nodeName: string, firstDueMs: number, intervalMs: number, punctuator: Punctuator): Cancellable {
    const schedule: PunctuationSchedule = {
      nodeName,
      intervalMs,
      punctuator,
      dueMs: firstDueMs,
      cancelled: false,
      sequence: this.#sequence++,
    };
    this.#schedules.push(schedule);
    return {
      cancel: () => {
        schedule.cancelled = true;
        this.#schedules = this.#schedules.filter((candidate) => candidate !== schedule);
      },
    };
  }

  /** True when at least one schedule is due at `nowMs`. */
  isDue(nowMs: number): boolean {
    // Checked once per record: a plain loop, no closure.
    const schedules = this.#schedules;
    for (let index = 0; index < schedules.length; index++) if ((schedules[index] as PunctuationSchedule).dueMs <= nowMs) return true;
    return false;
  }

  get size(): number {
    return this.#schedules.length;
  }

  /**
   * Fires every schedule due at `nowMs`, earliest first. Resolves to whether any fired.
   * Stays synchronous while the punctuators are.
   */
  mayPunctuate(nowMs: number, run: PunctuationRunner): MaybePromise<boolean> {
    let fired = false;
    for (;;) {
      const next = this.#nextDue(nowMs);
      if (next === undefined) return fired;
      fired = true;
      next.dueMs = PunctuationQueue.#nextDueAfter(next, nowMs);
      const result = run(next, nowMs);
      if (isPromiseLike(result)) return result.then(() => this.mayPunctuate(nowMs, run)).then(() => true);
    }
  }

  /** Drops every schedule (task closing). */
  clear(): void {
    for (const schedule of this.#schedules) schedule.cancelled = true;
    this.#schedules = [];
  }

  #nextDue(nowMs: number): PunctuationSchedule | undefined {
    let best: PunctuationSchedule | undefined;
    for (const schedule of this.#schedules) {
      if (schedule.cancelled || schedule.dueMs > nowMs) continue;
      if (best === undefined || schedule.dueMs < best.dueMs || (schedule.dueMs === best.dueMs && schedule.sequence < best.sequence)) {
        best = schedule;
      }
    }
    return best;
  }

  static #nextDueAfter(schedule: PunctuationSchedule, nowMs: number): number {
    const next = schedule.dueMs + schedule.intervalMs;
    if (nowMs < next) return next;
    // Missed intervals (a gap in the data, or a slow punctuator) are skipped, not replayed.
    const intervalsMissed = Math.floor((nowMs - schedule.dueMs) / schedule.intervalMs);
    return schedule.dueMs + (intervalsMissed + 1) * schedule.intervalMs;
  }
}
