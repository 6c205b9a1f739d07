import { ConfigError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import type { StoreBackend } from './bytes-store.js';
import { RetentionTracker } from './internals/retention-tracker.js';
import { SegmentedBytesLayer } from './internals/segmented-bytes-layer.js';
import { SessionKeySchema } from './internals/session-key-schema.js';
import { WindowKeySchema } from './internals/window-key-schema.js';
import { MeteredSessionStore } from './metered-session-store.js';
import { MeteredWindowStore } from './metered-window-store.js';
import { requireSerde, StoreBuilderBase } from './store-builder-base.js';

const SEGMENT_PREFIX_LENGTH = 8;
const stripSegment = (key: Uint8Array): Uint8Array => key.subarray(SEGMENT_PREFIX_LENGTH);

function requireDuration(storeName: string, option: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(`State store "${storeName}": \`${option}\` must be an integer >= ${minimum} ms, got ${value}.`);
  }
}

/** Options of `Stores.windowStoreBuilder`. */
export interface WindowStoreOptions<K, V> {
  readonly name: string;
  readonly backend: StoreBackend;
  /** How long windows are kept, measured against observed stream time; >= windowSizeMs. */
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  /** Keep every put of the same key and window (for joins); defaults to false. */
  readonly retainDuplicates?: boolean;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

/** Builds a {@link MeteredWindowStore} per task on a segmented bytes store. */
export class WindowStoreBuilder<K, V> extends StoreBuilderBase<MeteredWindowStore<K, V>> {
  readonly retentionMs: number;

  constructor(private readonly options: WindowStoreOptions<K, V>) {
    super(options.name, options.backend);
    requireSerde(options.name, 'keySerde', options.keySerde);
    requireSerde(options.name, 'valueSerde', options.valueSerde);
    requireDuration(options.name, 'windowSizeMs', options.windowSizeMs, 1);
    requireDuration(options.name, 'retentionMs', options.retentionMs, 0);
    if (options.retentionMs < options.windowSizeMs) {
      throw new ConfigError(
        `State store "${options.name}": retentionMs (${options.retentionMs}) must not be smaller than windowSizeMs ` +
          `(${options.windowSizeMs}). Raise the retention to at least the window size.`,
      );
    }
    this.retentionMs = options.retentionMs;
  }

  build(): MeteredWindowStore<K, V> {
    const retainDuplicates = this.options.retainDuplicates ?? false;
    const schema = new WindowKeySchema(retainDuplicates);
    const tracker = new RetentionTracker(this.retentionMs);
    const segmented = new SegmentedBytesLayer({
      name: this.name,
      backend: this.backend,
      tracker,
      timestampOf: (composite) => schema.windowStartOf(composite),
    });
    return new MeteredWindowStore({
      name: this.name,
      layers: this.stack(segmented, { changelogKey: stripSegment }),
      tracker,
      keySerde: this.options.keySerde,
      valueSerde: this.options.valueSerde,
      windowSizeMs: this.options.windowSizeMs,
      retainDuplicates,
      storeType: `${this.backend.kind}-window-state`,
    });
  }
}

/** Options of `Stores.sessionStoreBuilder`. */
export interface SessionStoreOptions<K, V> {
  readonly name: string;
  readonly backend: StoreBackend;
  /** How long sessions are kept after they end, measured against observed stream time. */
  readonly retentionMs: number;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

/** Builds a {@link MeteredSessionStore} per task on a segmented bytes store. */
export class SessionStoreBuilder<K, V> extends StoreBuilderBase<MeteredSessionStore<K, V>> {
  readonly retentionMs: number;

  constructor(private readonly options: SessionStoreOptions<K, V>) {
    super(options.name, options.backend);
    requireSerde(options.name, 'keySerde', options.keySerde);
    requireSerde(options.name, 'valueSerde', options.valueSerde);
    requireDuration(options.name, 'retentionMs', options.retentionMs, 0);
    this.retentionMs = options.retentionMs;
  }

  build(): MeteredSessionStore<K, V> {
    const tracker = new RetentionTracker(this.retentionMs);
    const segmented = new SegmentedBytesLayer({ name: this.name, backend: this.backend, tracker, timestampOf: SessionKeySchema.endOf });
    return new MeteredSessionStore({
      name: this.name,
      layers: this.stack(segmented, { changelogKey: stripSegment }),
      tracker,
      keySerde: this.options.keySerde,
      valueSerde: this.options.valueSerde,
      storeType: `${this.backend.kind}-session-state`,
    });
  }
}
