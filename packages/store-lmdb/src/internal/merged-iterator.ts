import type { BytesIterator } from '@kstreams/core';
import { asPlainBytes, compareBytes } from './compare-bytes.js';
import type { PendingWrite } from './pending-writes.js';

type Entry = { key: Uint8Array; value: Uint8Array };

/**
 * Merges committed entries (from LMDB) with a snapshot of pending writes, both in scan order:
 * a pending write shadows the committed entry with the same key, and a pending delete hides
 * it. `close` releases the LMDB cursor; it runs at the end of iteration too. `checkOpen`
 * throws once the store is closed.
 */
export class MergedIterator implements BytesIterator {
  readonly #committed: Iterator<Entry>;
  readonly #pending: readonly PendingWrite[];
  readonly #direction: 1 | -1;
  readonly #release: () => void;
  readonly #checkOpen: () => void;
  #pendingIndex = 0;
  #nextCommitted: Entry | undefined;
  #closed = false;

  constructor(
    committed: Iterator<Entry>,
    pending: readonly PendingWrite[],
    options: { reverse: boolean; release: () => void; checkOpen: () => void },
  ) {
    this.#committed = committed;
    this.#pending = pending;
    this.#direction = options.reverse ? -1 : 1;
    this.#release = options.release;
    this.#checkOpen = options.checkOpen;
    this.#nextCommitted = this.#pullCommitted();
  }

  next(): IteratorResult<Entry, undefined> {
    this.#checkOpen();
    if (this.#pending.length === 0) return this.#nextCommittedOnly();
    while (!this.#closed) {
      const pending = this.#pending[this.#pendingIndex];
      const committed = this.#nextCommitted;
      if (pending === undefined && committed === undefined) break;
      const order =
        pending === undefined ? 1 : committed === undefined ? -1 : this.#direction * compareBytes(pending.key, committed.key);
      if (order > 0) {
        this.#nextCommitted = this.#pullCommitted();
        const entry = committed as Entry;
        return { done: false, value: { key: asPlainBytes(entry.key), value: asPlainBytes(entry.value) } };
      }
      this.#pendingIndex++;
      if (order === 0) this.#nextCommitted = this.#pullCommitted();
      const write = pending as PendingWrite;
      if (write.value !== null) return { done: false, value: { key: asPlainBytes(write.key), value: asPlainBytes(write.value) } };
    }
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#nextCommitted = undefined;
    this.#committed.return?.();
    this.#release();
  }

  [Symbol.iterator](): this {
    return this;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** The common case of a scan with no pending writes: LMDB's entries as they come. */
  #nextCommittedOnly(): IteratorResult<Entry, undefined> {
    const committed = this.#nextCommitted;
    if (committed === undefined || this.#closed) {
      this.close();
      return { done: true, value: undefined };
    }
    this.#nextCommitted = this.#pullCommitted();
    return { done: false, value: { key: asPlainBytes(committed.key), value: asPlainBytes(committed.value) } };
  }

  #pullCommitted(): Entry | undefined {
    const result = this.#committed.next();
    return result.done === true ? undefined : result.value;
  }
}
