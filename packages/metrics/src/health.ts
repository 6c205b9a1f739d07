import type { PartitionLag } from './consumer-lag.js';

/** One stream thread as the health report shows it. */
export interface ThreadHealth {
  readonly name: string;
  /** Kafka Streams' thread state, e.g. `RUNNING`, `DEAD`. */
  readonly state: string;
  readonly activeTasks: number;
  readonly restoringTasks: readonly string[];
  readonly standbyTasks: number;
}

/** Where a health report is read from (the runtime implements it). */
export interface HealthSource {
  /** The client's lifecycle state, e.g. `RUNNING`. */
  state(): string;
  threads(): readonly ThreadHealth[];
  lags(): readonly PartitionLag[];
  /** When any thread last committed (epoch ms), if one did. */
  lastCommitAtMs(): number | undefined;
}

/** `streams.health()`: what a liveness or readiness probe needs. */
export interface HealthReport {
  /** `UP` while the client runs or rebalances (Kafka Streams' "healthy"), else `DOWN`. */
  readonly status: 'UP' | 'DOWN';
  /** True when RUNNING and no task is restoring: the instance processes its input. */
  readonly ready: boolean;
  readonly state: string;
  readonly threadsAlive: number;
  readonly threads: readonly ThreadHealth[];
  readonly tasksRestoring: readonly string[];
  /** Records behind the high watermark, in total and per input partition. */
  readonly lag: { readonly total: number; readonly partitions: readonly PartitionLag[] };
  /** Milliseconds since the last commit; `null` before the first one. */
  readonly lastCommitAgeMs: number | null;
}

const HEALTHY_STATES = new Set(['CREATED', 'REBALANCING', 'RUNNING']);

/** Builds a {@link HealthReport} from the runtime's view at `nowMs`. */
export function healthReport(source: HealthSource, nowMs: number = Date.now()): HealthReport {
  const state = source.state();
  const threads = source.threads();
  const threadsAlive = threads.filter((thread) => thread.state !== 'DEAD' && thread.state !== 'PENDING_SHUTDOWN').length;
  const tasksRestoring = threads.flatMap((thread) => thread.restoringTasks);
  const partitions = source.lags();
  const lastCommitAtMs = source.lastCommitAtMs();
  return {
    status: HEALTHY_STATES.has(state) && (threads.length === 0 || threadsAlive > 0) ? 'UP' : 'DOWN',
    ready: state === 'RUNNING' && tasksRestoring.length === 0,
    state,
    threadsAlive,
    threads,
    tasksRestoring,
    lag: { total: partitions.reduce((sum, entry) => sum + entry.lag, 0), partitions },
    lastCommitAgeMs: lastCommitAtMs === undefined ? null : Math.max(0, nowMs - lastCommitAtMs),
  };
}
