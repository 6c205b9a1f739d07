/**
 * The byte-level contract every store backend implements: an ordered key-value store of bytes.
 * Keys are ordered by unsigned byte-wise comparison (like RocksDB and LMDB), so range and
 * prefix scans over serialized keys behave the same on every backend. Key-value, timestamped,
 * window and session stores are built on this contract in `@kstreams/core`.
 *
 * Data operations are synchronous; `flush` and `close` may be asynchronous.
 * `@kstreams/store-conformance` checks a backend against this contract.
 */
export interface KeyValueBytesStore {
  /** The store's name (unique within a task). */
  readonly name: string;
  /** True when data survives a process restart. */
  readonly persistent: boolean;
  /** False after `close()` or `destroy()`. */
  readonly isOpen: boolean;

  get(key: Uint8Array): Uint8Array | undefined;
  /** Values for many keys at once, in the same order (`undefined` when absent). */
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[];
  put(key: Uint8Array, value: Uint8Array): void;
  /** Writes many entries as one batch; a `null` value deletes the key. */
  putAll(entries: readonly BytesEntry[]): void;
  /**
   * Optional: writes a batch restored from a changelog (a `null` value deletes the key), as
   * `putAll` does but for bulk loading: a backend may write it straight through (e.g. one write
   * transaction, no copies) instead of buffering it. Restoration uses `putAll` when absent.
   */
  restoreAll?(entries: readonly BytesEntry[]): void;
  /** Deletes a key; returns the old value, if any. */
  delete(key: Uint8Array): Uint8Array | undefined;
  /** Deletes many keys as one batch. */
  deleteAll(keys: readonly Uint8Array[]): void;
  /**
   * Entries with `from <= key <= to` (either bound may be omitted), in byte order or reversed.
   * A range whose `from` is after its `to` is empty.
   */
  range(options?: BytesRangeOptions): BytesIterator;
  /** Entries whose key starts with `prefix`, in byte order or reversed. */
  prefixScan(prefix: Uint8Array, options?: { reverse?: boolean }): BytesIterator;
  /** An estimate of the number of entries (exact for in-memory stores). */
  approximateNumEntries(): number;
  /** Makes every write so far durable (persistent stores) before the promise resolves. */
  flush(): void | Promise<void>;
  /** Releases the store; data stays for persistent stores. Idempotent. */
  close(): void | Promise<void>;
  /** Closes the store and deletes its data. */
  destroy(): void | Promise<void>;
}

/** One entry of a bytes store; `value: null` means delete in `putAll`. */
export interface BytesEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/** Bounds of a byte range scan; both bounds are inclusive. */
export interface BytesRangeOptions {
  from?: Uint8Array;
  to?: Uint8Array;
  reverse?: boolean;
}

/**
 * A sync iterator over bytes entries that holds backend resources until closed.
 * Use `using iterator = store.range(...)` or close it in `finally`.
 */
export interface BytesIterator extends IterableIterator<{ key: Uint8Array; value: Uint8Array }>, Disposable {
  close(): void;
}

/** Where a backend should put a store: persistent backends use `directory`. */
export interface StoreLocation {
  /** Store name; for segments of window/session stores, `<store>.<segmentId>`. */
  readonly name: string;
  /** `<stateDir>/<applicationId>/<taskId>`; `undefined` when the app has no state dir. */
  readonly directory: string | undefined;
  readonly applicationId: string;
  /** Printed task id, e.g. `0_3`. */
  readonly taskId: string;
}

/**
 * A store backend (in-memory, LMDB, ...): opens ordered bytes stores. Opening is synchronous
 * because window and session stores open time segments while processing.
 */
export interface StoreBackend {
  /** Short name used in metrics and errors, e.g. `in-memory`, `lmdb`. */
  readonly kind: string;
  readonly persistent: boolean;
  /** Opens (creating when missing) the store at `location`. */
  openStore(location: StoreLocation): KeyValueBytesStore;
  /**
   * Optional, for persistent backends: names of the stores that exist in the task directory of
   * `location` (its `name` is ignored) and start with `prefix`. Window and session stores use it
   * to reopen their time segments (`<store>.<segmentId>`) after a restart.
   */
  listStores?(location: StoreLocation, prefix: string): readonly string[];
  /**
   * Optional, for persistent backends: whether the store at `location` has data on disk, checked
   * before it is opened (opening creates it). A store that a task's checkpoint names but that has
   * no data was deleted: the runtime restores it from the changelog's start, not from the
   * checkpointed offset (see `checkpointedStoresWithoutData` in `@kstreams/changelog`).
   */
  hasStoredData?(location: StoreLocation): boolean;
}
