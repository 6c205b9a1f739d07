/**
 * Offset sum a member reports for a task it runs as an active task right now: its state is, by
 * definition, caught up (Java's `Task.LATEST_OFFSET`).
 */
export const LATEST_OFFSET = -2;

/**
 * Offset sum of a task whose state size is not known, e.g. a standby reported by a member that
 * used an old subscription version (Java's `SubscriptionInfo.UNKNOWN_OFFSET_SUM`).
 */
export const UNKNOWN_OFFSET_SUM = -3;

/**
 * How far one process's state of each stateful task is behind the changelogs' end, in records.
 * {@link LATEST_OFFSET} means "active and running here" (caught up), {@link UNKNOWN_OFFSET_SUM}
 * means "has some state, size unknown"; every other value is `endOffsetSum - offsetSum` (the
 * whole changelog for a task the process has no state of).
 */
export type TaskLags = ReadonlyMap<string, number>;

/**
 * Computes a process's lag per stateful task from the offset sums it reported (sum over the
 * task's changelog partitions of the offsets its local state reached) and the changelogs' end
 * offset sums. A reported sum beyond the end (a truncated or recreated changelog) counts as no
 * state at all: the task would restore from scratch there.
 */
export function computeTaskLags(taskOffsetSums: ReadonlyMap<string, number>, changelogEndOffsetSums: ReadonlyMap<string, number>): Map<string, number> {
  const lags = new Map<string, number>();
  for (const [taskId, endOffsetSum] of changelogEndOffsetSums) lags.set(taskId, taskLag(taskOffsetSums.get(taskId) ?? 0, endOffsetSum));
  return lags;
}

/** The lag of one task from its offset sum and its changelogs' end offset sum (see {@link computeTaskLags}). */
export function taskLag(offsetSum: number, endOffsetSum: number): number {
  if (offsetSum === LATEST_OFFSET || offsetSum === UNKNOWN_OFFSET_SUM) return offsetSum;
  if (offsetSum < 0 || offsetSum > endOffsetSum) return endOffsetSum;
  return endOffsetSum - offsetSum;
}

/**
 * True when a process with this lag can take the task over as active within
 * `acceptableRecoveryLag` records of restoration (or runs it already).
 */
export function isCaughtUp(lag: number, acceptableRecoveryLag: number): boolean {
  return lag === LATEST_OFFSET || (lag >= 0 && lag <= acceptableRecoveryLag);
}

/**
 * A sortable rank of a lag, lower is better: running active first, then known lags by size, an
 * unknown lag just after a lag of 0 (some state exists), as in Java's client ranking.
 */
export function lagRank(lag: number): number {
  if (lag === LATEST_OFFSET) return -1;
  if (lag === UNKNOWN_OFFSET_SUM) return 0.5;
  return lag;
}
