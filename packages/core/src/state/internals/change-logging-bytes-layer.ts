import type { BytesEntry } from '../bytes-store.js';
import type { ChangelogWriter, StateStoreContext } from '../state-store.js';
import { WrappingBytesLayer, type BytesLayer } from './bytes-layer.js';

/** Options of a {@link ChangeLoggingBytesLayer}. */
export interface ChangeLoggingOptions {
  /** The changelog key of a store key (segmented stores strip the segment prefix). */
  readonly changelogKey?: (key: Uint8Array) => Uint8Array;
  /** The changelog timestamp of a write (timestamped stores read it from the value). */
  readonly changelogTimestamp?: (value: Uint8Array | null, writeTimestampMs: number) => number;
}

/**
 * Sends every write to the store's changelog (`context.changelogWriter(name)`) after applying
 * it below: puts as records, deletes as `null` tombstones. Without a writer (logging off for
 * the application) it only passes writes through.
 */
export class ChangeLoggingBytesLayer extends WrappingBytesLayer {
  #writer: ChangelogWriter | undefined;

  constructor(
    inner: BytesLayer,
    private readonly options: ChangeLoggingOptions = {},
  ) {
    super(inner);
  }

  override init(context: StateStoreContext): void {
    super.init(context);
    this.#writer = context.changelogWriter(this.name);
  }

  override write(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void {
    this.inner.write(key, value, timestampMs);
    this.#log(key, value, timestampMs);
  }

  override writeAll(entries: readonly BytesEntry[], timestampMs: number): void {
    this.inner.writeAll(entries, timestampMs);
    for (const entry of entries) this.#log(entry.key, entry.value, timestampMs);
  }

  #log(key: Uint8Array, value: Uint8Array | null, timestampMs: number): void {
    if (this.#writer === undefined) return;
    const changelogKey = this.options.changelogKey?.(key) ?? key;
    const timestamp = this.options.changelogTimestamp?.(value, timestampMs) ?? timestampMs;
    this.#writer.log(changelogKey, value, timestamp);
  }
}
