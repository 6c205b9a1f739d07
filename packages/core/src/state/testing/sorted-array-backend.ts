import type { BytesEntry, BytesIterator, BytesRangeOptions, KeyValueBytesStore, StoreBackend, StoreLocation } from '../bytes-store.js';
import { compareBytes, startsWith } from '../internals/bytes.js';
import { bytesIteratorOf } from '../internals/bytes-iterators.js';

type Entry = { key: Uint8Array; value: Uint8Array };

/** Test-only bytes store: a sorted array. Counts open iterators so tests can check closing. */
class SortedArrayStore implements KeyValueBytesStore {
  readonly entries: Entry[] = [];
  isOpen = true;
  openIterators = 0;

  constructor(
    readonly name: string,
    readonly persistent: boolean,
    private readonly onDestroy: () => void,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const index = this.#search(key);
    return index >= 0 ? this.entries[index]?.value : undefined;
  }
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return keys.map((key) => this.get(key));
  }
  put(key: Uint8Array, value: Uint8Array): void {
    const index = this.#search(key);
    if (index >= 0) this.entries[index] = { key, value };
    else this.entries.splice(-index - 1, 0, { key, value });
  }
  putAll(entries: readonly BytesEntry[]): void {
    for (const entry of entries) {
      if (entry.value === null) this.delete(entry.key);
      else this.put(entry.key, entry.value);
    }
  }
  delete(key: Uint8Array): Uint8Array | undefined {
    const index = this.#search(key);
    if (index < 0) return undefined;
    return this.entries.splice(index, 1)[0]?.value;
  }
  deleteAll(keys: readonly Uint8Array[]): void {
    for (const key of keys) this.delete(key);
  }
  range(options: BytesRangeOptions = {}): BytesIterator {
    const selected = this.entries.filter(
      (entry) =>
        (options.from === undefined || compareBytes(entry.key, options.from) >= 0) &&
        (options.to === undefined || compareBytes(entry.key, options.to) <= 0),
    );
    return this.#iterate(selected, options.reverse === true);
  }
  prefixScan(prefix: Uint8Array, options: { reverse?: boolean } = {}): BytesIterator {
    return this.#iterate(this.entries.filter((entry) => startsWith(entry.key, prefix)), options.reverse === true);
  }
  approximateNumEntries(): number {
    return this.entries.length;
  }
  flush(): void {}
  close(): void {
    this.isOpen = false;
  }
  destroy(): void {
    this.isOpen = false;
    this.entries.length = 0;
    this.onDestroy();
  }

  #iterate(selected: Entry[], reverse: boolean): BytesIterator {
    if (reverse) selected.reverse();
    this.openIterators += 1;
    return bytesIteratorOf(selected[Symbol.iterator](), () => {
      this.openIterators -= 1;
    });
  }

  /** Index of `key`, or `-(insertion point) - 1`. */
  #search(key: Uint8Array): number {
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareBytes((this.entries[middle] as Entry).key, key);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }
}

/**
 * A test-only {@link StoreBackend} over sorted arrays. With `persistent: true`, stores keep their
 * data across close/open (per location), like a disk backend, and `listStores` finds them.
 */
export class SortedArrayBackend implements StoreBackend {
  readonly kind = 'sorted-array';
  readonly stores = new Map<string, SortedArrayStore>();

  constructor(readonly persistent = false) {}

  openStore(location: StoreLocation): SortedArrayStore {
    const path = this.#path(location, location.name);
    const existing = this.stores.get(path);
    if (existing !== undefined && this.persistent) {
      existing.isOpen = true;
      return existing;
    }
    const store = new SortedArrayStore(location.name, this.persistent, () => this.stores.delete(path));
    this.stores.set(path, store);
    return store;
  }

  listStores(location: StoreLocation, prefix: string): string[] {
    const directory = this.#path(location, '');
    return [...this.stores.keys()]
      .filter((path) => path.startsWith(directory) && path.slice(directory.length).startsWith(prefix))
      .map((path) => path.slice(directory.length));
  }

  /** Open iterators across all stores of this backend. */
  openIterators(): number {
    let total = 0;
    for (const store of this.stores.values()) total += store.openIterators;
    return total;
  }

  /** Names of the stores that currently exist. */
  storeNames(): string[] {
    return [...this.stores.values()].map((store) => store.name).sort();
  }

  store(name: string): SortedArrayStore | undefined {
    return [...this.stores.values()].find((store) => store.name === name);
  }

  #path(location: StoreLocation, name: string): string {
    return `${location.applicationId}/${location.taskId}/${name}`;
  }
}
