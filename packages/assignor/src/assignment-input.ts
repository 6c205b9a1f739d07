import type { AssignorConfig } from './assignor-config.js';

/** One member of the group (one stream thread) and what it owned before this rebalance. */
export interface MemberState {
  readonly memberId: string;
  readonly ownedActiveTasks: readonly string[];
  readonly ownedStandbyTasks: readonly string[];
}

/** One application instance (process): its members and the state it holds on disk. */
export interface ProcessState {
  /** The instance's UUID (from its subscription). */
  readonly processId: string;
  /** Its members (threads); their number is the instance's capacity. At least one. */
  readonly members: readonly MemberState[];
  /**
   * Per stateful task whose state the instance holds: the sum of its changelog offsets, or
   * `LATEST_OFFSET` for a running active (the union of its members' subscriptions).
   */
  readonly taskOffsetSums: ReadonlyMap<string, number>;
  /** The instance's client tags, for rack-aware standbys. */
  readonly clientTags?: Readonly<Record<string, string>>;
}

/** Everything the assignment is computed from. */
export interface TaskAssignmentInput {
  readonly processes: readonly ProcessState[];
  /** Tasks with state (logged stores): placed by state, get standbys and warm-ups. */
  readonly statefulTasks: readonly string[];
  /** Tasks without state: balanced freely. */
  readonly statelessTasks: readonly string[];
  /** Per stateful task: the sum of its changelog partitions' end offsets (missing: 0). */
  readonly changelogEndOffsetSums: ReadonlyMap<string, number>;
  readonly config: AssignorConfig;
}
