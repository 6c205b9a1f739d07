import type { Attributes, Meter } from '@opentelemetry/api';

/** `metrics.recording.level`, as in Kafka Streams: each level records what the ones below do too. */
export type MetricsRecordingLevel = 'INFO' | 'DEBUG' | 'TRACE';

const LEVEL_RANK: Readonly<Record<MetricsRecordingLevel, number>> = { INFO: 0, DEBUG: 1, TRACE: 2 };

/**
 * Where the engine's task and store metrics go, set by the host (`@kstreams/metrics` builds it
 * from an injected meter provider). Without it the engine records into the global meter.
 */
export interface EngineMetricsOptions {
  readonly meter: Meter;
  readonly recordingLevel: MetricsRecordingLevel;
  /** Added to every task and store measurement, e.g. `{ 'thread.id': 'app-StreamThread-1' }`. */
  readonly attributes?: Attributes;
}

/** True when metrics of `level` are recorded at `recordingLevel`. */
export function recordsLevel(recordingLevel: MetricsRecordingLevel, level: MetricsRecordingLevel): boolean {
  return LEVEL_RANK[recordingLevel] >= LEVEL_RANK[level];
}

/** Checks a recording level given as text (configs, environment variables). */
export function isMetricsRecordingLevel(value: unknown): value is MetricsRecordingLevel {
  return value === 'INFO' || value === 'DEBUG' || value === 'TRACE';
}
