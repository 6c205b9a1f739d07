import { InvalidStateStoreError } from '../../errors/streams-error.js';
import type { BytesIterator } from '../bytes-store.js';
import type { KeyValue, KeyValueIterator, StateStore, StateStoreContext } from '../state-store.js';
import type { BytesLayer } from './bytes-layer.js';
import { StoreMetrics } from './store-metrics.js';
import { typedIterator } from './typed-iterator.js';

type BytesKeyValue = { key: Uint8Array; value: Uint8Array };

/**
 * What every typed (outermost) store shares: the open/closed lifecycle, registration with the
 * task for restore, metrics, the serde topic, and tracking of open iterators so that closing
 * the store closes them.
 */
export abstract class MeteredStore implements StateStore {
  protected readonly metrics: StoreMetrics;
  readonly #openIterators = new Set<KeyValueIterator<unknown, unknown>>();
  #context: StateStoreContext | undefined;
  #open = false;
  /** The topic serdes see: the store's changelog topic, as in Kafka Streams. */
  protected serdeTopic = '';

  constructor(
    readonly name: string,
    protected readonly layers: BytesLayer,
    storeType: string,
  ) {
    this.metrics = new StoreMetrics(name, storeType);
  }

  get persistent(): boolean {
    return this.layers.persistent;
  }

  isOpen(): boolean {
    return this.#open;
  }

  init(context: StateStoreContext): void {
    if (this.#open) {
      throw new InvalidStateStoreError(`State store "${this.name}" is already initialised. Build a new store per task.`);
    }
    this.#context = context;
    this.serdeTopic = `${context.applicationId()}-${this.name}-changelog`;
    this.metrics.init(context.taskId(), context.metrics?.());
    this.layers.init(context);
    context.register(this, (records) => this.layers.restore(records));
    this.#open = true;
  }

  flush(): void | Promise<void> {
    this.ensureOpen();
    return this.metrics.timeMaybeAsync('flush', () => this.layers.flush());
  }

  /** Writes cached writes down (and to the changelog) without flushing the store (the first half of a commit). */
  flushCache(): void {
    if (this.#open) this.layers.flushCache();
  }

  /** Drops cached writes without writing them down, before a dirty close. */
  discardCache(): void {
    if (this.#open) this.layers.discardCache();
  }

  /** Closes open iterators, flushes the cache and closes the layers. Idempotent. */
  close(): void | Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    for (const iterator of [...this.#openIterators]) iterator.close();
    return this.layers.close();
  }

  /** Throws {@link InvalidStateStoreError} naming the store unless it is open. */
  protected ensureOpen(): void {
    if (!this.#open) {
      throw new InvalidStateStoreError(
        `State store "${this.name}" is not open: it was never initialised or is closed. ` +
          'Use the store only between init() and close() of its task.',
      );
    }
  }

  /** The timestamp a write is logged and cached with: the current record's, else stream time. */
  protected writeTimestamp(): number {
    const context = this.#context as StateStoreContext;
    return context.currentRecordTimestampMs?.() ?? context.currentStreamTimeMs();
  }

  /** Wraps a bytes iterator as a typed iterator that the store closes when it closes. */
  protected track<K, V>(source: BytesIterator, decode: (entry: BytesKeyValue) => KeyValue<K, V>): KeyValueIterator<K, V> {
    const iterator: KeyValueIterator<K, V> = typedIterator(source, decode, () => {
      this.#openIterators.delete(iterator as KeyValueIterator<unknown, unknown>);
    });
    this.#openIterators.add(iterator as KeyValueIterator<unknown, unknown>);
    return iterator;
  }

  /** How many iterators of this store are still open (for leak checks in tests). */
  get openIteratorCount(): number {
    return this.#openIterators.size;
  }
}
