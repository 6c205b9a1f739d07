import type { AssignorConfig } from '../assignor-config.js';
import { isCaughtUp, lagRank } from '../task-lags.js';
import type { ClientIndex } from './client-index.js';
import { assignWithQuotas, type QuotaLoads } from './quota-assignment.js';
import { TaskRanks } from './task-ranks.js';

/** Where each active task goes, and the warm-ups that prepare the moves still to come. */
export interface ActivePlacement {
  /** Task → process index, for stateful and stateless tasks. */
  readonly activeOwners: Map<string, number>;
  /** Stateful task → process index of its warm-up replica. */
  readonly warmups: Map<string, number>;
  /** Active tasks per process. */
  readonly activeCounts: number[];
  /** Stateful tasks kept away from their balanced place because that place is not caught up. */
  readonly movementsNeeded: number;
}

/**
 * Places active tasks, as Kafka Streams' HighAvailabilityTaskAssignor does, but sticky:
 * 1. stateful tasks get a balanced target (capacity-weighted, within one task per process),
 *    keeping every task where it ran unless balance needs a move, and choosing caught-up
 *    processes for the tasks that must move;
 * 2. a target whose state is not caught up (more than `acceptableRecoveryLag` behind) while
 *    another process is more caught up does not get the task yet: the task stays with a caught-up
 *    process and the target gets a warm-up replica (at most `maxWarmupReplicas` in the group);
 *    a probing rebalance later moves it once the warm-up caught up;
 * 3. stateless tasks fill the processes up to a balanced total, sticky as well.
 */
export function assignActiveTasks(index: ClientIndex, config: AssignorConfig): ActivePlacement {
  const activeOwners = new Map<string, number>();
  const ranks = new TaskRanks(index, config.acceptableRecoveryLag);
  const statefulOwners = assignWithQuotas({
    tasks: index.statefulTasks,
    capacities: index.capacities,
    previousOwner: (task) => index.previousActiveOwner(task),
    keepRank: (task, _bin, receivers) => -bestReceiverRank(ranks, task, receivers),
    pick: (task, candidates, loads) => pickMostCaughtUp(ranks, task, candidates, loads),
  });
  index.statefulTasks.forEach((task, position) => activeOwners.set(task, statefulOwners[position] as number));
  const activeCounts = countPerProcess(index.processCount, activeOwners);
  const { warmups, movementsNeeded } = moveToCaughtUpProcesses(index, config, activeOwners, activeCounts);
  const statelessOwners = assignWithQuotas({
    tasks: index.statelessTasks,
    capacities: index.capacities,
    startCounts: activeCounts,
    previousOwner: (task) => index.previousActiveOwner(task),
  });
  index.statelessTasks.forEach((task, position) => {
    const bin = statelessOwners[position] as number;
    activeOwners.set(task, bin);
    activeCounts[bin] = (activeCounts[bin] as number) + 1;
  });
  return { activeOwners, warmups, activeCounts, movementsNeeded };
}

/**
 * The best rank among the processes that will receive released tasks: a process over its share
 * releases first the tasks a receiver is most caught up on (a warm-up placed there before), so
 * the same tasks move in every probing rebalance until their warm-ups are done.
 */
function bestReceiverRank(ranks: TaskRanks, task: string, receivers: readonly number[]): number {
  ranks.use(task);
  let best = Number.POSITIVE_INFINITY;
  for (const bin of receivers) best = Math.min(best, ranks.of(bin));
  return best;
}

/**
 * The most caught-up candidate: caught-up processes all rank 0, then by lag; ties go to the
 * least loaded, then the lowest index.
 */
function pickMostCaughtUp(ranks: TaskRanks, task: string, candidates: Iterable<number>, loads: QuotaLoads): number {
  ranks.use(task);
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const bin of candidates) {
    const rank = ranks.of(bin);
    const load = ((loads.counts[bin] as number) + 1) / (loads.capacities[bin] as number);
    if (rank < bestRank || (rank === bestRank && load < bestLoad)) {
      best = bin;
      bestRank = rank;
      bestLoad = load;
    }
  }
  return best;
}

/** Step 2: tasks whose target is not caught up stay with a caught-up process; warm-ups go to the target. */
function moveToCaughtUpProcesses(
  index: ClientIndex,
  config: AssignorConfig,
  activeOwners: Map<string, number>,
  activeCounts: number[],
): { warmups: Map<string, number>; movementsNeeded: number } {
  const ranks = new TaskRanks(index, config.acceptableRecoveryLag);
  const warmups = new Map<string, number>();
  const pending = pendingMovements(index, config, activeOwners);
  for (const task of pending) {
    const target = activeOwners.get(task) as number;
    const source = chooseSource(index, ranks, task, target, activeCounts);
    activeOwners.set(task, source);
    activeCounts[target] = (activeCounts[target] as number) - 1;
    activeCounts[source] = (activeCounts[source] as number) + 1;
    if (warmups.size < config.maxWarmupReplicas) warmups.set(task, target);
  }
  return { warmups, movementsNeeded: pending.length };
}

/**
 * Tasks whose target is not caught up while another process is more caught up; those with fewer
 * caught-up processes first (they have fewer choices), then by task id.
 */
function pendingMovements(index: ClientIndex, config: AssignorConfig, activeOwners: ReadonlyMap<string, number>): string[] {
  const pending: { task: string; caughtUp: number }[] = [];
  for (const task of index.statefulTasks) {
    const targetLag = index.lag(task, activeOwners.get(task) as number);
    if (isCaughtUp(targetLag, config.acceptableRecoveryLag) || index.bestRank(task) >= lagRank(targetLag)) continue;
    const caughtUp = index.stateHolders(task).reduce((count, holder) => count + (isCaughtUp(holder.lag, config.acceptableRecoveryLag) ? 1 : 0), 0);
    pending.push({ task, caughtUp });
  }
  return pending.sort((left, right) => left.caughtUp - right.caughtUp).map((entry) => entry.task);
}

/**
 * The process that keeps the task for now: its previous owner when caught up, else the least
 * loaded caught-up process, else the most caught-up one (never the target itself).
 */
function chooseSource(index: ClientIndex, ranks: TaskRanks, task: string, target: number, activeCounts: readonly number[]): number {
  const previous = index.previousActiveOwner(task);
  if (previous !== undefined && previous !== target && index.isCaughtUp(task, previous)) return previous;
  const others = [...Array(index.processCount).keys()].filter((bin) => bin !== target);
  return pickMostCaughtUp(ranks, task, others, { counts: activeCounts, capacities: index.capacities });
}

function countPerProcess(processCount: number, owners: ReadonlyMap<string, number>): number[] {
  const counts = new Array<number>(processCount).fill(0);
  for (const bin of owners.values()) counts[bin] = (counts[bin] as number) + 1;
  return counts;
}
