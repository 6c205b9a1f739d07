import type { BytesIterator } from '@kstreams/core';
import { compareBytes } from '../compare-bytes.js';
import { findChunk, lowerBoundInChunk, type Chunk, type Position, type Snapshot, type SortedBytesMap } from './sorted-bytes-map.js';

type Entry = { key: Uint8Array; value: Uint8Array };

/** Where an iterator starts, which way it walks, and where it stops. */
export interface SnapshotIteratorOptions {
  readonly start: Position;
  readonly reverse: boolean;
  /** False for the first key past the end of the scan: iteration stops there. */
  readonly inBounds: (key: Uint8Array) => boolean;
  /** Throws when the owning store was closed while the iterator was open. */
  readonly assertOpen: () => void;
}

/**
 * Walks a frozen snapshot of a {@link SortedBytesMap}, so writes to the store during iteration
 * never change what the iterator returns. Closing (or reaching the end) releases the snapshot.
 */
export class SnapshotIterator implements BytesIterator {
  private readonly position: Position;
  private closed = false;

  constructor(
    private readonly map: SortedBytesMap,
    private readonly snapshot: Snapshot,
    private readonly options: SnapshotIteratorOptions,
  ) {
    this.position = { ...options.start };
  }

  next(): IteratorResult<Entry, undefined> {
    if (this.closed) return { done: true, value: undefined };
    this.options.assertOpen();
    const chunk = this.snapshot.chunks[this.position.chunkIndex];
    const key = chunk?.keys[this.position.entryIndex];
    if (chunk === undefined || key === undefined || !this.options.inBounds(key)) {
      this.close();
      return { done: true, value: undefined };
    }
    const value = chunk.values[this.position.entryIndex] as Uint8Array;
    if (this.options.reverse) stepBackward(this.snapshot.chunks, this.position);
    else stepForward(this.snapshot.chunks, this.position);
    return { done: false, value: { key, value } };
  }

  /** Called by `for ... of` on `break`/`throw`: releases the snapshot. */
  return(): IteratorResult<Entry, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.map.release(this.snapshot);
  }

  [Symbol.iterator](): this {
    return this;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** The first position whose key is `>= key` (past the end when there is none). */
export function lowerBound(chunks: readonly Chunk[], key: Uint8Array): Position {
  const chunkIndex = Math.max(findChunk(chunks, key), 0);
  const chunk = chunks[chunkIndex];
  if (chunk === undefined) return { chunkIndex: chunks.length, entryIndex: 0 };
  const entryIndex = lowerBoundInChunk(chunk, key);
  return entryIndex < chunk.keys.length ? { chunkIndex, entryIndex } : { chunkIndex: chunkIndex + 1, entryIndex: 0 };
}

/** The last position whose key is `<= key` (before the start when there is none). */
export function floor(chunks: readonly Chunk[], key: Uint8Array): Position {
  const position = lowerBound(chunks, key);
  const found = chunks[position.chunkIndex]?.keys[position.entryIndex];
  if (found !== undefined && compareBytes(found, key) === 0) return position;
  stepBackward(chunks, position);
  return position;
}

/** The last position whose key is `< key` (before the start when there is none). */
export function below(chunks: readonly Chunk[], key: Uint8Array): Position {
  const position = lowerBound(chunks, key);
  stepBackward(chunks, position);
  return position;
}

/** The first entry of the snapshot. */
export function first(): Position {
  return { chunkIndex: 0, entryIndex: 0 };
}

/** The last entry of the snapshot (before the start when it is empty). */
export function last(chunks: readonly Chunk[]): Position {
  const chunkIndex = chunks.length - 1;
  return { chunkIndex, entryIndex: (chunks[chunkIndex]?.keys.length ?? 0) - 1 };
}

function stepForward(chunks: readonly Chunk[], position: Position): void {
  position.entryIndex++;
  if (position.entryIndex >= (chunks[position.chunkIndex]?.keys.length ?? 0)) {
    position.chunkIndex++;
    position.entryIndex = 0;
  }
}

function stepBackward(chunks: readonly Chunk[], position: Position): void {
  position.entryIndex--;
  if (position.entryIndex < 0) {
    position.chunkIndex--;
    position.entryIndex = (chunks[position.chunkIndex]?.keys.length ?? 0) - 1;
  }
}
