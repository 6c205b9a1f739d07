import type { BytesEntry, BytesIterator, BytesRangeOptions, KeyValueBytesStore } from '@kstreams/core';
import { InvalidStateStoreError, StreamsError } from '@kstreams/core';
import type { Database } from 'lmdb';
import { committedEntries, guardIteration } from './internal/committed-entries.js';
import { asBuffer, asPlainBytes, copyBytes } from './internal/compare-bytes.js';
import { MergedIterator } from './internal/merged-iterator.js';
import { PendingWrites } from './internal/pending-writes.js';
import { isEmptyScan, prefixBounds, rangeBounds, type ScanBounds } from './internal/scan-bounds.js';
import { corruptionGuard, SharedEnvironment, type EnvironmentSettings } from './internal/shared-environment.js';

/** LMDB's key size limit in lmdb-js builds. */
export const MAX_KEY_BYTES = 1978;

/** When pending writes are committed without waiting for `flush()`. */
export interface PendingWriteLimits {
  readonly maxPendingEntries: number;
  readonly maxPendingBytes: number;
}

/**
 * A {@link KeyValueBytesStore} in one LMDB sub-database. Writes are buffered in memory and
 * readable at once; `flush()` commits them in one durable transaction (as does a buffer
 * outgrowing its limits), so a commit interval pays one disk sync, not one per record.
 * Create it through `lmdbBackend().openStore(...)`.
 */
export class LmdbBytesStore implements KeyValueBytesStore {
  readonly name: string;
  readonly persistent = true;
  /** The LMDB environment directory holding this store. */
  readonly path: string;
  readonly #settings: EnvironmentSettings & PendingWriteLimits;
  readonly #pending = new PendingWrites();
  readonly #nameKey: Buffer;
  readonly #openIterators = new Set<MergedIterator>();
  #environment: SharedEnvironment | undefined;
  #database: Database<Buffer, Buffer> | undefined;
  #closing: Promise<void> | undefined;

  /** Opens (creating when missing) sub-database `name` in the environment at `path`. */
  constructor(name: string, path: string, settings: EnvironmentSettings & PendingWriteLimits) {
    this.name = name;
    this.path = path;
    this.#settings = settings;
    this.#nameKey = Buffer.from(name, 'utf8');
    this.#database = SharedEnvironment.openStore(path, name, settings);
    this.#environment = SharedEnvironment.get(path);
  }

  get isOpen(): boolean {
    return this.#database !== undefined && this.#closing === undefined;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const buffer = asBuffer(key);
    if (this.#pending.size > 0) {
      const pending = this.#pending.lookup(buffer);
      if (pending !== undefined) return pending.value === null ? undefined : asPlainBytes(pending.value);
    }
    const value = this.#readCommitted(buffer);
    return value === undefined ? undefined : asPlainBytes(value);
  }

  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return keys.map((key) => this.get(key));
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#write(key, copyBytes(value));
    this.#commitWhenFull();
  }

  putAll(entries: readonly BytesEntry[]): void {
    for (const entry of entries) this.#write(entry.key, entry.value === null ? null : copyBytes(entry.value));
    this.#commitWhenFull();
  }

  /**
   * Writes a restored batch straight into LMDB in one write transaction, after any pending
   * writes (so order is kept): no private copies and no pending buffer, as LMDB copies the bytes
   * on write. Durable when it returns, like {@link flush}.
   */
  restoreAll(entries: readonly BytesEntry[]): void {
    for (const entry of entries) this.#checkKeyLength(entry.key);
    this.#commit();
    const database = this.#openDatabase();
    const meta = (this.#environment as SharedEnvironment).meta;
    (this.#environment as SharedEnvironment).root.transactionSync(() => {
      for (const { key, value } of entries) this.#writeThrough(database, meta, asBuffer(key), value === null ? null : asBuffer(value));
    });
  }

  delete(key: Uint8Array): Uint8Array | undefined {
    const previous = this.get(key);
    if (previous !== undefined) this.#write(key, null);
    return previous;
  }

  deleteAll(keys: readonly Uint8Array[]): void {
    for (const key of keys) this.#write(key, null);
    this.#commitWhenFull();
  }

  range(options?: BytesRangeOptions): BytesIterator {
    return this.#scan(rangeBounds(options));
  }

  prefixScan(prefix: Uint8Array, options?: { reverse?: boolean }): BytesIterator {
    return this.#scan(prefixBounds(prefix, options?.reverse ?? false));
  }

  /** Exact: LMDB's count corrected by each pending write (one lookup per pending key). */
  approximateNumEntries(): number {
    const database = this.#openDatabase();
    const stats = database.getStats() as { entryCount?: number };
    let count = (stats.entryCount ?? 0) + (this.#readCommitted(Buffer.alloc(0)) === undefined ? 0 : 1);
    for (const { key, value } of this.#pending.entries()) {
      const committed = this.#readCommitted(key) !== undefined;
      if (committed && value === null) count--;
      else if (!committed && value !== null) count++;
    }
    return count;
  }

  /** Commits pending writes in one transaction; durable when it returns. */
  flush(): void {
    if (this.#database === undefined || this.#closing !== undefined) return;
    this.#commit();
  }

  /** Commits pending writes and releases the store (and, when last, the directory lock). */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    if (this.#database === undefined) return Promise.resolve();
    this.#commit();
    this.#closing = this.#release(false);
    return this.#closing;
  }

  /** Drops the store's data; the directory is deleted once it holds no store. */
  async destroy(): Promise<void> {
    if (this.#closing !== undefined) await this.#closing;
    if (this.#database === undefined || this.#closing !== undefined) this.#reopen();
    this.#pending.clear();
    const database = this.#openDatabase();
    const environment = this.#environment as SharedEnvironment;
    environment.root.transactionSync(() => {
      database.dropSync();
      environment.meta.removeSync(this.#nameKey);
    });
    this.#closing = this.#release(true);
    await this.#closing;
  }

  #write(key: Uint8Array, value: Buffer | null): void {
    this.#openDatabase();
    this.#checkKeyLength(key);
    this.#pending.write(copyBytes(key), value);
  }

  #checkKeyLength(key: Uint8Array): void {
    if (key.length > MAX_KEY_BYTES) {
      throw new StreamsError(
        `Key of ${key.length} bytes is too long for LMDB state store "${this.name}" (at most ${MAX_KEY_BYTES} bytes). ` +
          'Use shorter keys (e.g. a hash) or the in-memory backend for this store.',
      );
    }
  }

  /** One write inside a transaction; the empty key lives in the meta database (LMDB has no empty keys). */
  #writeThrough(database: Database<Buffer, Buffer>, meta: Database<Buffer, Buffer>, key: Buffer, value: Buffer | null): void {
    if (key.length === 0) {
      if (value === null) meta.removeSync(this.#nameKey);
      else meta.putSync(this.#nameKey, value);
    } else if (value === null) database.removeSync(key);
    else database.putSync(key, value);
  }

  #readCommitted(key: Buffer): Uint8Array | undefined {
    const database = this.#openDatabase();
    if (key.length === 0) return corruptionGuard(this.name, this.path, () => this.#environment?.meta.get(this.#nameKey));
    // The hot path of every get: no closure, the guard only on failure.
    try {
      return database.get(key);
    } catch (error) {
      return corruptionGuard(this.name, this.path, () => {
        throw error;
      });
    }
  }

  #scan(bounds: ScanBounds): BytesIterator {
    const database = this.#openDatabase();
    const pending = isEmptyScan(bounds) ? [] : this.#pending.snapshot(bounds);
    const committed = isEmptyScan(bounds)
      ? [][Symbol.iterator]()
      : guardIteration(
          this.name,
          this.path,
          corruptionGuard(this.name, this.path, () => committedEntries(database, bounds, this.#environment?.meta.get(this.#nameKey))),
        );
    const iterator: MergedIterator = new MergedIterator(committed, pending, {
      reverse: bounds.reverse,
      release: () => this.#openIterators.delete(iterator),
      checkOpen: () => void this.#openDatabase(),
    });
    this.#openIterators.add(iterator);
    return iterator;
  }

  #commitWhenFull(): void {
    if (
      this.#pending.size >= this.#settings.maxPendingEntries ||
      this.#pending.bytes >= this.#settings.maxPendingBytes
    ) {
      this.#commit();
    }
  }

  #commit(): void {
    if (this.#pending.size === 0) return;
    const database = this.#openDatabase();
    const meta = (this.#environment as SharedEnvironment).meta;
    (this.#environment as SharedEnvironment).root.transactionSync(() => {
      for (const { key, value } of this.#pending.entries()) this.#writeThrough(database, meta, key, value);
    });
    this.#pending.clear();
  }

  #openDatabase(): Database<Buffer, Buffer> {
    if (this.#database === undefined || this.#closing !== undefined) {
      throw new InvalidStateStoreError(
        `State store "${this.name}" at ${this.path} is closed. Open it again through the backend before using it.`,
      );
    }
    return this.#database;
  }

  #reopen(): void {
    this.#closing = undefined;
    this.#database = SharedEnvironment.openStore(this.path, this.name, this.#settings);
    this.#environment = SharedEnvironment.get(this.path);
  }

  async #release(deleteWhenEmpty: boolean): Promise<void> {
    // Open LMDB cursors would keep read transactions alive past the environment's close.
    for (const iterator of [...this.#openIterators]) iterator.close();
    const environment = this.#environment;
    this.#database = undefined;
    this.#environment = undefined;
    await environment?.closeStore(this.name, { deleteWhenEmpty });
  }
}
