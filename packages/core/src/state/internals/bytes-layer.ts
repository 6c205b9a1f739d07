import type { BytesEntry, BytesIterator, BytesRangeOptions } from '../bytes-store.js';
import type { StateStoreContext } from '../state-store.js';

/**
 * Called for each de-duplicated write a caching layer sends down on flush or eviction:
 * the key, the new value (`null` for a delete), the value the store held before, and the
 * timestamp of the write.
 */
export type BytesFlushListener = (
  key: Uint8Array,
  newValue: Uint8Array | null,
  oldValue: Uint8Array | null,
  timestampMs: number,
) => void;

/** One record of a changelog being restored, as logged. */
export interface RestoreRecord {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/**
 * One layer of a store stack below the typed (metered) store: caching, change-logging, or the
 * bytes store itself. Writes carry the timestamp the changelog record should get.
 */
export interface BytesLayer {
  readonly name: string;
  readonly persistent: boolean;
  readonly isOpen: boolean;
  /** Opens this layer and the layers below it. */
  init(context: StateStoreContext): void;
  get(key: Uint8Array): Uint8Array | undefined;
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[];
  /** Writes `value` (`null` deletes) with the timestamp of the record that caused it. */
  write(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void;
  writeAll(entries: readonly BytesEntry[], timestampMs: number): void;
  range(options?: BytesRangeOptions): BytesIterator;
  prefixScan(prefix: Uint8Array, options?: { reverse?: boolean }): BytesIterator;
  approximateNumEntries(): number;
  flush(): void | Promise<void>;
  close(): void | Promise<void>;
  /** Applies restored changelog records to the bytes store, bypassing cache and logging. */
  restore(records: readonly RestoreRecord[]): void;
  /** Installs a flush listener on the caching layer; false when there is none. */
  setFlushListener(listener: BytesFlushListener | undefined): boolean;
  /** Drops cached writes without writing them down (a task closing dirty). */
  discardCache(): void;
  /** Writes cached writes down (and so to the changelog) without making the bytes store durable. */
  flushCache(): void;
}

/** A layer that hands everything it does not change to the layer below. */
export abstract class WrappingBytesLayer implements BytesLayer {
  constructor(protected readonly inner: BytesLayer) {}

  get name(): string {
    return this.inner.name;
  }
  get persistent(): boolean {
    return this.inner.persistent;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  init(context: StateStoreContext): void {
    this.inner.init(context);
  }
  get(key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(key);
  }
  getMany(keys: readonly Uint8Array[]): (Uint8Array | undefined)[] {
    return this.inner.getMany(keys);
  }
  write(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void {
    this.inner.write(key, value, timestampMs);
  }
  writeAll(entries: readonly BytesEntry[], timestampMs: number): void {
    this.inner.writeAll(entries, timestampMs);
  }
  range(options?: BytesRangeOptions): BytesIterator {
    return this.inner.range(options);
  }
  prefixScan(prefix: Uint8Array, options?: { reverse?: boolean }): BytesIterator {
    return this.inner.prefixScan(prefix, options);
  }
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
  flush(): void | Promise<void> {
    return this.inner.flush();
  }
  close(): void | Promise<void> {
    return this.inner.close();
  }
  restore(records: readonly RestoreRecord[]): void {
    this.inner.restore(records);
  }
  setFlushListener(listener: BytesFlushListener | undefined): boolean {
    return this.inner.setFlushListener(listener);
  }
  discardCache(): void {
    this.inner.discardCache();
  }
  flushCache(): void {
    this.inner.flushCache();
  }
}
