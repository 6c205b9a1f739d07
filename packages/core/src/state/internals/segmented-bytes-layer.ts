import { InvalidStateStoreError } from '../../errors/streams-error.js';
import type { BytesEntry, BytesIterator, BytesRangeOptions, KeyValueBytesStore, StoreBackend } from '../bytes-store.js';
import type { StateStoreContext } from '../state-store.js';
import { concatBytes, longBytes, readLong, startsWith } from './bytes.js';
import type { BytesFlushListener, BytesLayer, RestoreRecord } from './bytes-layer.js';
import { concatBytesIterators, emptyBytesIterator, filterBytesIterator, mapBytesIterator } from './bytes-iterators.js';
import { storeLocation } from './backend-bytes-layer.js';
import type { RetentionTracker } from './retention-tracker.js';

/** Options of a {@link SegmentedBytesLayer}. */
export interface SegmentedBytesLayerOptions {
  readonly name: string;
  readonly backend: StoreBackend;
  readonly tracker: RetentionTracker;
  /** The timestamp a composite key is segmented and expired by (window start, session end). */
  readonly timestampOf: (compositeKey: Uint8Array) => number;
}

const SEGMENT_PREFIX_LENGTH = 8;

/**
 * The bytes store under window and session stores: data split into time segments, each a
 * separate backend store named `<store>.<segmentId>`. Keys seen from above are
 * `segmentId (8 bytes) + composite key`, so one ordered key space spans all segments; the
 * changelog and restore use the composite key alone. Writes older than the retention are
 * dropped and counted, expired segments are destroyed whole, and expired entries are never
 * returned.
 */
export class SegmentedBytesLayer implements BytesLayer {
  readonly #segments = new Map<number, KeyValueBytesStore>();
  readonly #pendingDestroys: Promise<void>[] = [];
  #context: StateStoreContext | undefined;
  #open = false;

  constructor(private readonly options: SegmentedBytesLayerOptions) {}

  get name(): string {
    return this.options.name;
  }
  get persistent(): boolean {
    return this.options.backend.persistent;
  }
  get isOpen(): boolean {
    return this.#open;
  }

  init(context: StateStoreContext): void {
    this.#context = context;
    this.#open = true;
    for (const segmentId of this.#existingSegmentIds(context)) this.#openSegment(segmentId);
    this.#observeRecoveredData();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const composite = key.subarray(SEGMENT_PREFIX_LENGTH);
    if (this.options.tracker.isExpired(this.options.timestampOf(composite))) return undefined;
    return this.#segments.get(readLong(key, 0))?.get(composite);
  }
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return keys.map((key) => this.get(key));
  }
  write(key: Uint8Array, value: Uint8Array | null): void {
    this.#apply(key.subarray(SEGMENT_PREFIX_LENGTH), value, true);
  }
  writeAll(entries: readonly BytesEntry[]): void {
    for (const entry of entries) this.write(entry.key, entry.value);
  }
  restore(records: readonly RestoreRecord[]): void {
    for (const record of records) this.#apply(record.key, record.value, false);
  }

  range(options: BytesRangeOptions = {}): BytesIterator {
    const fromSegment = options.from === undefined ? Number.MIN_SAFE_INTEGER : readLong(options.from, 0);
    const toSegment = options.to === undefined ? Number.MAX_SAFE_INTEGER : readLong(options.to, 0);
    const ids = this.#sortedSegmentIds(options.reverse === true).filter((id) => id >= fromSegment && id <= toSegment);
    return concatBytesIterators(
      ids.map((id) => () => {
        const segmentRange: BytesRangeOptions = { reverse: options.reverse === true };
        if (options.from !== undefined && id === fromSegment) segmentRange.from = options.from.subarray(SEGMENT_PREFIX_LENGTH);
        if (options.to !== undefined && id === toSegment) segmentRange.to = options.to.subarray(SEGMENT_PREFIX_LENGTH);
        // A segment may expire and be destroyed while an iterator still walks older ones.
        const segment = this.#segments.get(id);
        return segment === undefined ? emptyBytesIterator() : this.#liveEntries(id, segment.range(segmentRange));
      }),
    );
  }

  prefixScan(prefix: Uint8Array, options: { reverse?: boolean } = {}): BytesIterator {
    if (prefix.length < SEGMENT_PREFIX_LENGTH) {
      return filterBytesIterator(this.range(options), (entry) => startsWith(entry.key, prefix));
    }
    const id = readLong(prefix, 0);
    const segment = this.#segments.get(id);
    if (segment === undefined) return emptyBytesIterator();
    return this.#liveEntries(id, segment.prefixScan(prefix.subarray(SEGMENT_PREFIX_LENGTH), options));
  }

  approximateNumEntries(): number {
    let total = 0;
    for (const segment of this.#segments.values()) total += segment.approximateNumEntries();
    return total;
  }

  /** Ids of the segments currently open, oldest first. */
  segmentIds(): number[] {
    return this.#sortedSegmentIds(false);
  }

  flush(): void | Promise<void> {
    const pending = [...this.#pendingDestroys.splice(0)];
    for (const segment of this.#segments.values()) {
      const result = segment.flush();
      if (result !== undefined) pending.push(result);
    }
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  close(): void | Promise<void> {
    this.#open = false;
    const pending = [...this.#pendingDestroys.splice(0)];
    for (const segment of this.#segments.values()) {
      const result = segment.close();
      if (result !== undefined) pending.push(result);
    }
    this.#segments.clear();
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  setFlushListener(_listener: BytesFlushListener | undefined): boolean {
    return false;
  }

  /** No cache below a caching layer: nothing to drop. */
  discardCache(): void {}

  /** No cache below a caching layer: nothing to write down. */
  flushCache(): void {}

  #apply(composite: Uint8Array, value: Uint8Array | null, countDrops: boolean): void {
    const { tracker } = this.options;
    const timestamp = this.options.timestampOf(composite);
    tracker.observe(timestamp);
    if (tracker.isExpired(timestamp)) {
      if (countDrops) tracker.recordDropped();
      return;
    }
    const segmentId = tracker.segmentId(timestamp);
    if (value === null) this.#segments.get(segmentId)?.delete(composite);
    else (this.#segments.get(segmentId) ?? this.#openSegment(segmentId)).put(composite, value);
    this.#dropExpiredSegments();
  }

  #liveEntries(segmentId: number, source: BytesIterator): BytesIterator {
    const prefix = longBytes(segmentId);
    const { tracker, timestampOf } = this.options;
    const live = filterBytesIterator(source, (entry) => !tracker.isExpired(timestampOf(entry.key)));
    return mapBytesIterator(live, (entry) => ({ key: concatBytes(prefix, entry.key), value: entry.value }));
  }

  /** Recovered segments: stream time resumes at the latest timestamp of the newest segment. */
  #observeRecoveredData(): void {
    const newest = this.#sortedSegmentIds(true)[0];
    const segment = newest === undefined ? undefined : this.#segments.get(newest);
    if (segment === undefined) return;
    using entries = segment.range();
    for (const entry of entries) this.options.tracker.observe(this.options.timestampOf(entry.key));
  }

  #dropExpiredSegments(): void {
    const minLive = this.options.tracker.minLiveSegmentId();
    for (const [id, segment] of this.#segments) {
      if (id >= minLive) continue;
      this.#segments.delete(id);
      const result = segment.destroy();
      if (result !== undefined) this.#pendingDestroys.push(result);
    }
  }

  #openSegment(segmentId: number): KeyValueBytesStore {
    const context = this.#requireContext();
    const segment = this.options.backend.openStore(storeLocation(context, `${this.name}.${segmentId}`));
    this.#segments.set(segmentId, segment);
    return segment;
  }

  #sortedSegmentIds(reverse: boolean): number[] {
    const ids = [...this.#segments.keys()].sort((left, right) => left - right);
    return reverse ? ids.reverse() : ids;
  }

  #existingSegmentIds(context: StateStoreContext): number[] {
    const listStores = this.options.backend.listStores?.bind(this.options.backend);
    if (listStores === undefined) return [];
    const prefix = `${this.name}.`;
    const location = storeLocation(context, this.name);
    return listStores(location, prefix)
      .map((storeName) => storeName.slice(prefix.length))
      .filter((suffix) => /^-?\d+$/.test(suffix))
      .map(Number);
  }

  #requireContext(): StateStoreContext {
    if (this.#context === undefined) {
      throw new InvalidStateStoreError(`State store "${this.name}" is not initialised. Call init() before using it.`);
    }
    return this.#context;
  }
}
