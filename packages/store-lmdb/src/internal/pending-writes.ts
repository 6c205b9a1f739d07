import { compareBytes } from './compare-bytes.js';
import { isWithin, type ScanBounds } from './scan-bounds.js';

/** One buffered write; `value: null` is a delete. */
export interface PendingWrite {
  readonly key: Buffer;
  value: Buffer | null;
}

/**
 * Writes not yet committed to LMDB, readable at once: lmdb-js only shows a write to
 * synchronous reads after its transaction commits, and one commit per record would pay one
 * disk sync per record. Lookups go through a map keyed by the key's bytes; scans use a sorted
 * array that absorbs new keys lazily (sorted on the next scan), so a put is O(1) and a scan
 * after k new keys costs O(n + k log k).
 */
export class PendingWrites {
  readonly #byKey = new Map<string, PendingWrite>();
  #sorted: PendingWrite[] = [];
  #unsorted: PendingWrite[] = [];
  #bytes = 0;

  /** Number of buffered keys (puts and deletes). */
  get size(): number {
    return this.#byKey.size;
  }

  /** Approximate memory held by buffered keys and values. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The buffered write for `key`, or `undefined` when the key has no pending write. */
  lookup(key: Buffer): PendingWrite | undefined {
    if (this.#byKey.size === 0) return undefined;
    return this.#byKey.get(key.toString('latin1'));
  }

  /** Buffers a put (`value`) or a delete (`null`); the buffers must be private copies. */
  write(key: Buffer, value: Buffer | null): void {
    const mapKey = key.toString('latin1');
    const existing = this.#byKey.get(mapKey);
    this.#bytes += value === null ? 0 : value.length;
    if (existing !== undefined) {
      this.#bytes -= existing.value === null ? 0 : existing.value.length;
      existing.value = value;
      return;
    }
    const write: PendingWrite = { key, value };
    this.#bytes += key.length + 48;
    this.#byKey.set(mapKey, write);
    this.#unsorted.push(write);
  }

  /**
   * A snapshot of the buffered writes within `bounds`, in scan order, so later writes do
   * not disturb an open iterator.
   */
  snapshot(bounds: ScanBounds): PendingWrite[] {
    if (this.#byKey.size === 0) return [];
    const sorted = this.#sortedWrites();
    const start = bounds.from === undefined ? 0 : lowerBound(sorted, bounds.from);
    const selected: PendingWrite[] = [];
    for (let index = start; index < sorted.length; index++) {
      const write = sorted[index] as PendingWrite;
      if (!isWithin(write.key, bounds)) {
        if (bounds.to !== undefined && compareBytes(write.key, bounds.to) > 0) break;
        continue;
      }
      selected.push({ key: write.key, value: write.value });
    }
    return bounds.reverse ? selected.reverse() : selected;
  }

  /** Every buffered write, in no particular order. */
  entries(): IterableIterator<PendingWrite> {
    return this.#byKey.values();
  }

  /** Forgets every buffered write (after a commit, or on destroy). */
  clear(): void {
    this.#byKey.clear();
    this.#sorted = [];
    this.#unsorted = [];
    this.#bytes = 0;
  }

  #sortedWrites(): PendingWrite[] {
    if (this.#unsorted.length === 0) return this.#sorted;
    const added = this.#unsorted.sort((left, right) => compareBytes(left.key, right.key));
    this.#unsorted = [];
    this.#sorted = this.#sorted.length === 0 ? added : mergeSorted(this.#sorted, added);
    return this.#sorted;
  }
}

function mergeSorted(left: PendingWrite[], right: PendingWrite[]): PendingWrite[] {
  const merged: PendingWrite[] = new Array<PendingWrite>(left.length + right.length);
  let leftIndex = 0;
  let rightIndex = 0;
  let out = 0;
  while (leftIndex < left.length && rightIndex < right.length) {
    const leftWrite = left[leftIndex] as PendingWrite;
    const rightWrite = right[rightIndex] as PendingWrite;
    if (compareBytes(leftWrite.key, rightWrite.key) <= 0) {
      merged[out++] = leftWrite;
      leftIndex++;
    } else {
      merged[out++] = rightWrite;
      rightIndex++;
    }
  }
  while (leftIndex < left.length) merged[out++] = left[leftIndex++] as PendingWrite;
  while (rightIndex < right.length) merged[out++] = right[rightIndex++] as PendingWrite;
  return merged;
}

/** Index of the first write whose key is >= `key`. */
function lowerBound(sorted: readonly PendingWrite[], key: Buffer): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareBytes((sorted[middle] as PendingWrite).key, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
