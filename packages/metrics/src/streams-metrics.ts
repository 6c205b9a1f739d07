import { createNoopMeter, metrics, type Attributes, type Counter, type Histogram, type Meter, type MeterProvider, type ObservableCounter, type ObservableGauge } from '@opentelemetry/api';
import { ConfigError, isMetricsRecordingLevel, recordsLevel, type EngineMetricsOptions, type MetricsRecordingLevel } from '@kstreams/core';
import { ATTRIBUTES, type MetricDefinition } from './metric-names.js';

const NOOP_METER = createNoopMeter();
/** The meter name (instrumentation scope) of every kstreams instrument. */
export const METER_NAME = 'kstreams';

/** What {@link StreamsMetrics} is built from. */
export interface StreamsMetricsOptions {
  /** Where instruments come from; default: the global provider (no-ops until an SDK is installed). */
  readonly meterProvider?: MeterProvider;
  /** `metrics.recording.level`: INFO (default), DEBUG or TRACE, as in Kafka Streams. */
  readonly recordingLevel?: MetricsRecordingLevel;
}

/**
 * The root of kstreams' OpenTelemetry instruments: one meter (from the injected provider, else
 * the global one) and the recording level. Instruments of a level above the recording level are
 * the API's no-ops, so they cost a call and nothing else. The thread, node, restore, lag and
 * client metrics of this package are built from it, and {@link engineMetrics} hands the same
 * meter to the task and store metrics of `@kstreams/core`.
 *
 * @example
 * const streamsMetrics = new StreamsMetrics({ meterProvider, recordingLevel: 'DEBUG' });
 * const thread = new ThreadMetrics(streamsMetrics, 'app-StreamThread-1');
 */
export class StreamsMetrics {
  readonly meter: Meter;
  readonly recordingLevel: MetricsRecordingLevel;
  readonly #noop = NOOP_METER;

  constructor(options: StreamsMetricsOptions = {}) {
    const level = options.recordingLevel ?? 'INFO';
    if (!isMetricsRecordingLevel(level)) {
      throw new ConfigError(`metricsRecordingLevel is ${JSON.stringify(level)}; use 'INFO', 'DEBUG' or 'TRACE'.`);
    }
    this.recordingLevel = level;
    this.meter = options.meterProvider?.getMeter(METER_NAME) ?? metrics.getMeter(METER_NAME);
  }

  /** True when metrics of `level` are recorded. */
  records(level: MetricsRecordingLevel): boolean {
    return recordsLevel(this.recordingLevel, level);
  }

  /**
   * True when metrics of `level` are recorded into a real SDK: hot paths skip their work
   * otherwise. Decided by the meter at hand, so install the SDK before creating the instance.
   */
  measures(level: MetricsRecordingLevel): boolean {
    return this.records(level) && this.meter.constructor !== NOOP_METER.constructor;
  }

  /** The meter and level for `@kstreams/core`'s task and store metrics of one stream thread. */
  engineMetrics(threadName?: string): EngineMetricsOptions {
    return { meter: this.meter, recordingLevel: this.recordingLevel, attributes: threadAttributes(threadName) };
  }

  counter(definition: MetricDefinition): Counter {
    return this.#meterFor(definition).createCounter(definition.name, describe(definition));
  }

  histogram(definition: MetricDefinition): Histogram {
    return this.#meterFor(definition).createHistogram(definition.name, describe(definition));
  }

  observableCounter(definition: MetricDefinition): ObservableCounter {
    return this.#meterFor(definition).createObservableCounter(definition.name, describe(definition));
  }

  gauge(definition: MetricDefinition): ObservableGauge {
    return this.#meterFor(definition).createObservableGauge(definition.name, describe(definition));
  }

  #meterFor(definition: MetricDefinition): Meter {
    return this.records(definition.level) ? this.meter : this.#noop;
  }
}

/** `{ 'thread.id': threadName }`, or no attributes without a thread. */
export function threadAttributes(threadName: string | undefined): Attributes {
  return threadName === undefined ? {} : { [ATTRIBUTES.threadId]: threadName };
}

function describe(definition: MetricDefinition): { description: string; unit?: string } {
  return definition.unit === undefined ? { description: definition.description } : { description: definition.description, unit: definition.unit };
}

/** Runs a telemetry action; telemetry never throws into the host. */
export function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Telemetry must never break processing.
  }
}
