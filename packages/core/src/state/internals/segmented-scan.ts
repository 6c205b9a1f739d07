import type { BytesIterator, BytesRangeOptions } from '../bytes-store.js';
import { concatBytes, longBytes } from './bytes.js';
import type { BytesLayer } from './bytes-layer.js';
import { concatBytesIterators, emptyBytesIterator, filterBytesIterator, mapBytesIterator } from './bytes-iterators.js';
import type { RetentionTracker } from './retention-tracker.js';

/** What a window or session read scans: a time span of segments and key bounds within each. */
export interface SegmentedScanOptions {
  readonly layers: BytesLayer;
  readonly tracker: RetentionTracker;
  /** Segment timestamps to cover, inclusive. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly reverse: boolean;
  /** Lowest composite key to read in each segment; the segment's start when omitted. */
  readonly lowerKey?: Uint8Array | undefined;
  /** Highest composite key to read in each segment; the segment's end when omitted. */
  readonly upperKey?: Uint8Array | undefined;
  /** Keeps an entry (by composite key): key bounds, time bounds and retention. */
  readonly keep: (compositeKey: Uint8Array) => boolean;
}

/**
 * Reads the segments covering `[fromMs, toMs]` one after the other (oldest first, or newest
 * first when reversed), ranging over `[lowerKey, upperKey]` in each, and yields entries by
 * composite key. Segments are opened lazily, so early closing touches no more of them.
 */
export function segmentedScan(options: SegmentedScanOptions): BytesIterator {
  if (options.fromMs > options.toMs) return emptyBytesIterator();
  const first = options.tracker.segmentId(options.fromMs);
  const last = options.tracker.segmentId(options.toMs);
  const segmentIds: number[] = [];
  for (let id = first; id <= last; id++) segmentIds.push(id);
  if (options.reverse) segmentIds.reverse();
  return concatBytesIterators(segmentIds.map((segmentId) => () => scanSegment(options, segmentId)));
}

function scanSegment(options: SegmentedScanOptions, segmentId: number): BytesIterator {
  const prefix = longBytes(segmentId);
  const range: BytesRangeOptions = {
    from: options.lowerKey === undefined ? prefix : concatBytes(prefix, options.lowerKey),
    // No composite key is only the 8 prefix bytes, so the next segment's prefix bounds this one.
    to: options.upperKey === undefined ? longBytes(segmentId + 1) : concatBytes(prefix, options.upperKey),
    reverse: options.reverse,
  };
  const composite = mapBytesIterator(options.layers.range(range), (entry) => ({ key: entry.key.subarray(prefix.length), value: entry.value }));
  return filterBytesIterator(composite, (entry) => options.keep(entry.key));
}
