import type { ValueAndTimestamp } from '@kstreams/core';

/**
 * What one pass over a key's existing sliding windows finds for a new record at `timestampMs`
 * (the state of Java's `processInOrder`/`processEarly` loops): which windows exist, the
 * aggregates to seed the record's left and right windows, and the previous record's time.
 * `visit` returns true when the window contains the record and must be updated with it.
 */
export class SlidingWindowScan<A> {
  readonly startTimes = new Set<number>();
  leftAggregate: ValueAndTimestamp<A> | undefined;
  rightAggregate: ValueAndTimestamp<A> | undefined;
  leftWindowExists = false;
  rightWindowExists = false;
  previousRecordTimestampMs: number | undefined;
  /** Early records only: the `[0, d]` window holding every record before `d`. */
  combinedWindow: ValueAndTimestamp<A> | undefined;

  constructor(
    private readonly timestampMs: number,
    private readonly differenceMs: number,
  ) {}

  /** One window of a record at or after `d`, in start order. */
  visit(startMs: number, value: ValueAndTimestamp<A>): boolean {
    this.startTimes.add(startMs);
    const endMs = startMs + this.differenceMs;
    if (endMs < this.timestampMs) {
      this.leftAggregate = value;
      this.previousRecordTimestampMs = value.timestamp;
      return false;
    }
    if (endMs === this.timestampMs) {
      this.leftWindowExists = true;
      if (value.timestamp < this.timestampMs) this.previousRecordTimestampMs = value.timestamp;
      return true;
    }
    if (startMs <= this.timestampMs) {
      this.rightAggregate = value;
      return true;
    }
    // startMs === timestamp + 1: the record's right window already exists.
    this.rightWindowExists = true;
    return false;
  }

  /** One window of an early record (timestamp < d), in start order. */
  visitEarly(startMs: number, value: ValueAndTimestamp<A>): boolean {
    this.startTimes.add(startMs);
    if (startMs === 0) {
      this.combinedWindow = value;
      if (value.timestamp < this.timestampMs) this.previousRecordTimestampMs = value.timestamp;
      return false;
    }
    if (startMs <= this.timestampMs) {
      this.rightAggregate = value;
      return true;
    }
    this.rightWindowExists = true;
    return false;
  }
}
