import { TaskAssignmentError } from './assignment-error.js';

/** Settings of the task assignment (Kafka Streams' names and defaults). */
export interface AssignorConfig {
  /** Standby copies of each stateful task, on other instances than its active (default 0). */
  readonly numStandbyReplicas: number;
  /**
   * A stateful task moves only to an instance whose state is at most this many records behind
   * the changelogs' end (default 10,000); otherwise it stays and a warm-up replica catches up.
   */
  readonly acceptableRecoveryLag: number;
  /** Warm-up replicas (extra standbys that prepare a move) in the whole group at once (default 2). */
  readonly maxWarmupReplicas: number;
  /** Time between probing rebalances while warm-ups catch up (default 600,000 ms). */
  readonly probingRebalanceIntervalMs: number;
  /**
   * Client tag keys standbys are spread over: a standby goes preferably to an instance whose
   * tag values differ from those of the active and of the other standbys (default none).
   */
  readonly rackAwareAssignmentTags: readonly string[];
}

/** The defaults of {@link AssignorConfig}, as in Kafka Streams. */
export const DEFAULT_ASSIGNOR_CONFIG: AssignorConfig = {
  numStandbyReplicas: 0,
  acceptableRecoveryLag: 10_000,
  maxWarmupReplicas: 2,
  probingRebalanceIntervalMs: 600_000,
  rackAwareAssignmentTags: [],
};

/**
 * The complete config: the defaults overridden by `overrides`, checked.
 *
 * @throws TaskAssignmentError naming the setting when a value is out of range.
 */
export function assignorConfig(overrides: Partial<AssignorConfig> = {}): AssignorConfig {
  const config = { ...DEFAULT_ASSIGNOR_CONFIG, ...overrides };
  requireInteger('numStandbyReplicas', config.numStandbyReplicas, 0);
  requireInteger('acceptableRecoveryLag', config.acceptableRecoveryLag, 0);
  requireInteger('maxWarmupReplicas', config.maxWarmupReplicas, 1);
  requireInteger('probingRebalanceIntervalMs', config.probingRebalanceIntervalMs, 60_000);
  for (const tag of config.rackAwareAssignmentTags) {
    if (typeof tag !== 'string' || tag === '') {
      throw new TaskAssignmentError(`rackAwareAssignmentTags contains ${JSON.stringify(tag)}: every entry must be a non-empty client tag key.`);
    }
  }
  return config;
}

function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new TaskAssignmentError(`${name} is ${value}: it must be an integer of at least ${minimum}.`);
  }
}
