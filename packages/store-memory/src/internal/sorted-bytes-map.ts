import { compareBytes } from '../compare-bytes.js';

/** A sorted run of at most {@link MAX_CHUNK_SIZE} entries; `epoch` tells who may mutate it. */
export interface Chunk {
  readonly keys: Uint8Array[];
  /** `keyPrefix` of each key: most comparisons are decided by these packed numbers alone. */
  readonly prefixes: number[];
  readonly values: Uint8Array[];
  readonly epoch: number;
}

/** A frozen view of the map for one iterator: never mutated while the iterator holds it. */
export interface Snapshot {
  readonly chunks: readonly Chunk[];
  readonly epoch: number;
}

/** A position inside a snapshot: chunk index and entry index within the chunk. */
export interface Position {
  chunkIndex: number;
  entryIndex: number;
}

const MAX_CHUNK_SIZE = 512;
const MERGE_THRESHOLD = MAX_CHUNK_SIZE / 4;

/**
 * An ordered map of byte keys: a sorted array of bounded sorted chunks (a two-level B+tree).
 * Lookups are two binary searches; an insert moves at most one chunk's entries.
 *
 * Snapshots are copy-on-write: taking one is O(1); the first write while a snapshot is open
 * copies the chunk list and then each chunk it touches, so open iterators keep the exact
 * contents they started with. When no iterator is open, writes mutate in place.
 */
export class SortedBytesMap {
  private chunks: Chunk[] = [];
  /** The epoch in which `chunks` (the array itself) was created. */
  private chunksEpoch = 0;
  /** Structures created in an older epoch are shared with snapshots and must be copied first. */
  private epoch = 0;
  /** Open snapshots of the current epoch. */
  private openSnapshots = 0;
  private entryCount = 0;

  get size(): number {
    return this.entryCount;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const chunkIndex = findChunk(this.chunks, key);
    if (chunkIndex < 0) return undefined;
    const chunk = this.chunks[chunkIndex] as Chunk;
    const entryIndex = lowerBoundInChunk(chunk, key);
    const found = chunk.keys[entryIndex];
    return found !== undefined && compareBytes(found, key) === 0 ? chunk.values[entryIndex] : undefined;
  }

  /** Stores `value` under `key` (both must already be private copies); returns the old value. */
  set(key: Uint8Array, value: Uint8Array): Uint8Array | undefined {
    this.beginWrite();
    if (this.chunks.length === 0) {
      this.writableChunks().push({ keys: [key], prefixes: [keyPrefix(key)], values: [value], epoch: this.epoch });
      this.entryCount = 1;
      return undefined;
    }
    const chunkIndex = Math.max(findChunk(this.chunks, key), 0);
    const chunk = this.writableChunk(chunkIndex);
    const entryIndex = lowerBoundInChunk(chunk, key);
    const found = chunk.keys[entryIndex];
    if (found !== undefined && compareBytes(found, key) === 0) {
      const previous = chunk.values[entryIndex];
      chunk.values[entryIndex] = value;
      return previous;
    }
    chunk.keys.splice(entryIndex, 0, key);
    chunk.prefixes.splice(entryIndex, 0, keyPrefix(key));
    chunk.values.splice(entryIndex, 0, value);
    this.entryCount++;
    if (chunk.keys.length > MAX_CHUNK_SIZE) this.split(chunkIndex, chunk);
    return undefined;
  }

  /** Removes `key`; returns the removed value. */
  delete(key: Uint8Array): Uint8Array | undefined {
    const chunkIndex = findChunk(this.chunks, key);
    if (chunkIndex < 0) return undefined;
    const entryIndex = lowerBoundInChunk(this.chunks[chunkIndex] as Chunk, key);
    const found = (this.chunks[chunkIndex] as Chunk).keys[entryIndex];
    if (found === undefined || compareBytes(found, key) !== 0) return undefined;
    this.beginWrite();
    const chunk = this.writableChunk(chunkIndex);
    const previous = chunk.values[entryIndex];
    chunk.keys.splice(entryIndex, 1);
    chunk.prefixes.splice(entryIndex, 1);
    chunk.values.splice(entryIndex, 1);
    this.entryCount--;
    if (chunk.keys.length === 0) this.writableChunks().splice(chunkIndex, 1);
    else if (chunk.keys.length < MERGE_THRESHOLD) this.mergeWithNext(chunkIndex);
    return previous;
  }

  /** Drops every entry; open snapshots keep theirs. */
  clear(): void {
    this.beginWrite();
    this.chunks = [];
    this.chunksEpoch = this.epoch;
    this.entryCount = 0;
  }

  /** Freezes the current contents for an iterator; call {@link release} when it is done. */
  snapshot(): Snapshot {
    this.openSnapshots++;
    return { chunks: this.chunks, epoch: this.epoch };
  }

  release(snapshot: Snapshot): void {
    // Snapshots of older epochs no longer share anything that is written in place.
    if (snapshot.epoch === this.epoch) this.openSnapshots--;
  }

  /** Before a write: if a snapshot shares the current structures, start a new epoch. */
  private beginWrite(): void {
    if (this.openSnapshots > 0) {
      this.epoch++;
      this.openSnapshots = 0;
    }
  }

  private writableChunks(): Chunk[] {
    if (this.chunksEpoch !== this.epoch) {
      this.chunks = this.chunks.slice();
      this.chunksEpoch = this.epoch;
    }
    return this.chunks;
  }

  private writableChunk(chunkIndex: number): Chunk {
    const chunks = this.writableChunks();
    const chunk = chunks[chunkIndex] as Chunk;
    if (chunk.epoch === this.epoch) return chunk;
    const copy: Chunk = { keys: chunk.keys.slice(), prefixes: chunk.prefixes.slice(), values: chunk.values.slice(), epoch: this.epoch };
    chunks[chunkIndex] = copy;
    return copy;
  }

  private split(chunkIndex: number, chunk: Chunk): void {
    const half = chunk.keys.length >>> 1;
    const upper: Chunk = {
      keys: chunk.keys.splice(half),
      prefixes: chunk.prefixes.splice(half),
      values: chunk.values.splice(half),
      epoch: this.epoch,
    };
    this.writableChunks().splice(chunkIndex + 1, 0, upper);
  }

  /** Keeps chunks from thinning out after many deletes by folding a small chunk's neighbour in. */
  private mergeWithNext(chunkIndex: number): void {
    const next = this.chunks[chunkIndex + 1];
    const chunk = this.chunks[chunkIndex] as Chunk;
    if (next === undefined || chunk.keys.length + next.keys.length > MAX_CHUNK_SIZE) return;
    chunk.keys.push(...next.keys);
    chunk.prefixes.push(...next.prefixes);
    chunk.values.push(...next.values);
    this.writableChunks().splice(chunkIndex + 1, 1);
  }
}

/** Index of the last chunk whose first key is `<= key`, or -1 when `key` precedes every chunk. */
export function findChunk(chunks: readonly Chunk[], key: Uint8Array): number {
  const prefix = keyPrefix(key);
  let low = 0;
  let high = chunks.length - 1;
  let result = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (compareEntry(chunks[middle] as Chunk, 0, key, prefix) <= 0) {
      result = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return result;
}

/** Index of the first entry of `chunk` whose key is `>= key` (its length when none). */
export function lowerBoundInChunk(chunk: Chunk, key: Uint8Array): number {
  const prefix = keyPrefix(key);
  let low = 0;
  let high = chunk.keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntry(chunk, middle, key, prefix) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

const PREFIX_BYTES = 6;

/**
 * The first 6 bytes of `key` as a number (zero-padded; 48 bits are exact in a double).
 * Padding keeps the order: `a <= b` byte-wise implies `keyPrefix(a) <= keyPrefix(b)`, so
 * different prefixes decide a comparison without touching the keys (fewer cache misses).
 */
export function keyPrefix(key: Uint8Array): number {
  let prefix = 0;
  for (let index = 0; index < PREFIX_BYTES; index++) prefix = prefix * 256 + (key[index] ?? 0);
  return prefix;
}

/** Compares entry `entryIndex` of `chunk` with `key`, whose `keyPrefix` is `prefix`. */
function compareEntry(chunk: Chunk, entryIndex: number, key: Uint8Array, prefix: number): number {
  const entryPrefix = chunk.prefixes[entryIndex] as number;
  if (entryPrefix !== prefix) return entryPrefix - prefix;
  return compareBytes(chunk.keys[entryIndex] as Uint8Array, key);
}
