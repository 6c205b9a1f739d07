import type { Attributes, Histogram } from '@opentelemetry/api';
import { recordsLevel } from '../../engine/engine-metrics.js';
import type { StateStoreContext } from '../state-store.js';

/**
 * Kafka Streams' `record-cache` `hit-ratio` (DEBUG) of one caching store: after every read, the
 * running ratio of reads answered by the cache is recorded into the histogram
 * `kstreams.state.record-cache.hit-ratio` (its min/avg/max are Java's `hit-ratio-min/-avg/-max`).
 * Only created when the host passed its meter at DEBUG or above; telemetry never throws.
 */
export class CacheHitRatio {
  readonly #histogram: Histogram;
  readonly #attributes: Attributes;
  #hits = 0;
  #reads = 0;

  private constructor(histogram: Histogram, attributes: Attributes) {
    this.#histogram = histogram;
    this.#attributes = attributes;
  }

  /** The ratio of `storeName`, or `undefined` when the host does not record DEBUG metrics. */
  static create(context: StateStoreContext, storeName: string): CacheHitRatio | undefined {
    const options = context.metrics?.();
    if (options === undefined || !recordsLevel(options.recordingLevel, 'DEBUG')) return undefined;
    try {
      const histogram = options.meter.createHistogram('kstreams.state.record-cache.hit-ratio', {
        description: 'Share of reads of a caching store answered by its record cache (running ratio after each read).',
      });
      return new CacheHitRatio(histogram, { ...options.attributes, 'store.name': storeName, 'task.id': context.taskId() });
    } catch {
      return undefined;
    }
  }

  record(hit: boolean): void {
    this.#reads++;
    if (hit) this.#hits++;
    try {
      this.#histogram.record(this.#hits / this.#reads, this.#attributes);
    } catch {
      // Telemetry must never break the store.
    }
  }
}
