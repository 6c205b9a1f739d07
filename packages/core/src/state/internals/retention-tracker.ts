import { concatBytes, longBytes } from './bytes.js';

/** The smallest observed stream time: nothing has been written yet. */
const NO_STREAM_TIME = Number.MIN_SAFE_INTEGER;

/**
 * Shared by the layers of one window or session store: the stream time the store has observed
 * (the largest timestamp written or restored), the retention measured against it, and the time
 * segments data is split into. As in Kafka Streams, a segment spans
 * `max(retention / 2, 60 000)` ms and segment id = floor(timestamp / interval).
 */
export class RetentionTracker {
  readonly segmentIntervalMs: number;
  #observedStreamTimeMs = NO_STREAM_TIME;
  #droppedRecords = 0;
  /** Called for every write dropped because it is older than the retention. */
  onDropped: (() => void) | undefined;

  constructor(readonly retentionMs: number) {
    this.segmentIntervalMs = Math.max(Math.floor(retentionMs / 2), 60_000);
  }

  /** The largest timestamp observed so far. */
  get observedStreamTimeMs(): number {
    return this.#observedStreamTimeMs;
  }

  /** How many writes were dropped as expired. */
  get droppedRecords(): number {
    return this.#droppedRecords;
  }

  /** Advances the observed stream time to `timestampMs` when it is later. */
  observe(timestampMs: number): void {
    if (timestampMs > this.#observedStreamTimeMs) this.#observedStreamTimeMs = timestampMs;
  }

  /** True when data at `timestampMs` is older than the retention allows. */
  isExpired(timestampMs: number): boolean {
    return this.#observedStreamTimeMs !== NO_STREAM_TIME && timestampMs <= this.#observedStreamTimeMs - this.retentionMs;
  }

  /** The earliest timestamp still live (reads start here). */
  earliestLiveMs(): number {
    if (this.#observedStreamTimeMs === NO_STREAM_TIME) return NO_STREAM_TIME;
    return this.#observedStreamTimeMs - this.retentionMs + 1;
  }

  /** Counts one dropped write. */
  recordDropped(): void {
    this.#droppedRecords += 1;
    this.onDropped?.();
  }

  segmentId(timestampMs: number): number {
    return Math.floor(timestampMs / this.segmentIntervalMs);
  }

  /** Segments older than this id hold only expired data. */
  minLiveSegmentId(): number {
    if (this.#observedStreamTimeMs === NO_STREAM_TIME) return Number.MIN_SAFE_INTEGER;
    return this.segmentId(this.#observedStreamTimeMs - this.retentionMs);
  }

  /** The key a segmented layer orders by: 8-byte segment id, then the composite key. */
  segmentedKey(compositeKey: Uint8Array, timestampMs: number): Uint8Array {
    return concatBytes(longBytes(this.segmentId(timestampMs)), compositeKey);
  }
}
