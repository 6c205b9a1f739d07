/** Keys per chunk before a chunk is split in two; small enough that a splice inside one is cheap. */
const MAX_CHUNK_LENGTH = 512;

/**
 * A sorted set of string keys (the cache's byte-ordered keys) kept as a list of short sorted
 * chunks, so an insert or removal costs a binary search plus a splice inside one chunk:
 * O(log n + chunk) instead of the O(n) of one big sorted array. Ranges come out in key order.
 */
export class SortedKeyIndex {
  #chunks: string[][] = [];
  /** The last (largest) key of each chunk, for the binary search over chunks. */
  #lastKeys: string[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `key`, which must not be in the index yet. */
  insert(key: string): void {
    this.#size += 1;
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      this.#lastKeys.push(key);
      return;
    }
    let chunkIndex = this.#chunkFor(key);
    if (chunkIndex === this.#chunks.length) chunkIndex -= 1;
    const chunk = this.#chunks[chunkIndex] as string[];
    const position = lowerBound(chunk, key);
    if (position === chunk.length) {
      chunk.push(key);
      this.#lastKeys[chunkIndex] = key;
    } else {
      chunk.splice(position, 0, key);
    }
    if (chunk.length > MAX_CHUNK_LENGTH) this.#split(chunkIndex);
  }

  /** Removes `key`; a key not in the index is ignored. */
  remove(key: string): void {
    const chunkIndex = this.#chunkFor(key);
    const chunk = this.#chunks[chunkIndex];
    if (chunk === undefined) return;
    const position = lowerBound(chunk, key);
    if (chunk[position] !== key) return;
    this.#size -= 1;
    chunk.splice(position, 1);
    if (chunk.length === 0) {
      this.#chunks.splice(chunkIndex, 1);
      this.#lastKeys.splice(chunkIndex, 1);
    } else if (position === chunk.length) {
      this.#lastKeys[chunkIndex] = chunk[position - 1] as string;
    }
  }

  /**
   * The keys from `from` (inclusive; `undefined` for the first key) up to `to` (inclusive unless
   * `toExclusive`; `undefined` for the last key), in ascending order.
   */
  keysBetween(from: string | undefined, to: string | undefined, toExclusive = false): string[] {
    const keys: string[] = [];
    let chunkIndex = from === undefined ? 0 : this.#chunkFor(from);
    let position = from === undefined ? 0 : lowerBound(this.#chunks[chunkIndex] ?? [], from);
    for (; chunkIndex < this.#chunks.length; chunkIndex++, position = 0) {
      const chunk = this.#chunks[chunkIndex] as string[];
      for (; position < chunk.length; position++) {
        const key = chunk[position] as string;
        if (to !== undefined && (toExclusive ? key >= to : key > to)) return keys;
        keys.push(key);
      }
    }
    return keys;
  }

  clear(): void {
    this.#chunks = [];
    this.#lastKeys = [];
    this.#size = 0;
  }

  /** Index of the first chunk whose last key is >= `key` (the chunk count when none is). */
  #chunkFor(key: string): number {
    return lowerBound(this.#lastKeys, key);
  }

  #split(chunkIndex: number): void {
    const chunk = this.#chunks[chunkIndex] as string[];
    const upperHalf = chunk.splice(chunk.length >>> 1);
    this.#chunks.splice(chunkIndex + 1, 0, upperHalf);
    this.#lastKeys.splice(chunkIndex, 0, chunk[chunk.length - 1] as string);
  }
}

/** First index of `sorted` whose key is >= `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
