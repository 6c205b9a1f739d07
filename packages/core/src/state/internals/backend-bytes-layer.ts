import type { BytesEntry, BytesIterator, BytesRangeOptions, KeyValueBytesStore, StoreBackend, StoreLocation } from '../bytes-store.js';
import type { StateStoreContext } from '../state-store.js';
import { InvalidStateStoreError } from '../../errors/streams-error.js';
import type { BytesFlushListener, BytesLayer, RestoreRecord } from './bytes-layer.js';

/** Where a store of `name` lives for the task of `context`. */
export function storeLocation(context: StateStoreContext, name: string): StoreLocation {
  return {
    name,
    directory: context.stateDirectory(),
    applicationId: context.applicationId(),
    taskId: context.taskId(),
  };
}

/**
 * The innermost layer of a key-value store: the backend's bytes store, opened at `init` at
 * `<stateDir>/<applicationId>/<taskId>/<name>`.
 */
export class BackendBytesLayer implements BytesLayer {
  #store: KeyValueBytesStore | undefined;

  constructor(
    readonly name: string,
    private readonly backend: StoreBackend,
  ) {}

  get persistent(): boolean {
    return this.backend.persistent;
  }
  get isOpen(): boolean {
    return this.#store?.isOpen ?? false;
  }
  init(context: StateStoreContext): void {
    this.#store = this.backend.openStore(storeLocation(context, this.name));
  }
  get(key: Uint8Array): Uint8Array | undefined {
    return this.store.get(key);
  }
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return this.store.getMany(keys);
  }
  write(key: Uint8Array, value: Uint8Array | null): void {
    if (value === null) this.store.delete(key);
    else this.store.put(key, value);
  }
  writeAll(entries: readonly BytesEntry[]): void {
    this.store.putAll(entries);
  }
  range(options?: BytesRangeOptions): BytesIterator {
    return this.store.range(options);
  }
  prefixScan(prefix: Uint8Array, options?: { reverse?: boolean }): BytesIterator {
    return this.store.prefixScan(prefix, options);
  }
  approximateNumEntries(): number {
    return this.store.approximateNumEntries();
  }
  flush(): void | Promise<void> {
    return this.store.flush();
  }
  close(): void | Promise<void> {
    return this.#store?.close();
  }
  restore(records: readonly RestoreRecord[]): void {
    const store = this.store;
    if (store.restoreAll === undefined) store.putAll(records);
    else store.restoreAll(records);
  }
  setFlushListener(_listener: BytesFlushListener | undefined): boolean {
    return false;
  }

  /** No cache below a caching layer: nothing to drop. */
  discardCache(): void {}

  /** No cache below a caching layer: nothing to write down. */
  flushCache(): void {}

  private get store(): KeyValueBytesStore {
    if (this.#store === undefined) throw new InvalidStateStoreError(`State store "${this.name}" is not initialised. Call init() before using it.`);
    return this.#store;
  }
}
