import type { AssignorConfig } from '../assignor-config.js';
import { isCaughtUp, lagRank } from '../task-lags.js';
import type { ClientIndex } from './client-index.js';

/**
 * Places `numStandbyReplicas` standbys of every stateful task, each on a different process than
 * the task's active, its warm-up and its other standbys. Per standby, in order of preference:
 * 1. rack-aware (Java's ClientTagAwareStandbyTaskAssignor): a process whose values of the
 *    `rackAwareAssignmentTags` differ from those of the copies placed so far, for every tag key
 *    that still has unused values;
 * 2. a process below its share of standbys (capacity-weighted, rounded up);
 * 3. sticky: the process with the most caught-up state of the task (a previous standby or owner);
 * 4. the process with the fewest standbys of tasks active on the same process as this one, so
 *    that when a process fails its tasks' standbys (and so its load) spread over many processes;
 * 5. the least loaded process (active and standby tasks per thread), then the lowest index.
 * Fewer standbys are placed when there are not enough processes.
 *
 * @returns stateful task → process indexes of its standbys.
 */
export function assignStandbyTasks(
  index: ClientIndex,
  config: AssignorConfig,
  activeOwners: ReadonlyMap<string, number>,
  warmups: ReadonlyMap<string, number>,
  activeCounts: readonly number[],
): Map<string, number[]> {
  const standbys = new Map<string, number[]>();
  if (config.numStandbyReplicas === 0 || index.processCount < 2) return standbys;
  const rack = new RackAwareness(index, config.rackAwareAssignmentTags);
  const perTask = Math.min(config.numStandbyReplicas, index.processCount - 1);
  const caps = standbyCaps(index, perTask * index.statefulTasks.length);
  const standbyCounts = new Array<number>(index.processCount).fill(0);
  // pairs[active * processCount + standby]: standbys on `standby` of tasks active on `active`.
  const pairs = new Int32Array(index.processCount * index.processCount);
  const ranks = new Float64Array(index.processCount);
  for (const task of index.statefulTasks) {
    const active = activeOwners.get(task) as number;
    const used = [active];
    const warmup = warmups.get(task);
    if (warmup !== undefined) used.push(warmup);
    fillRanks(index, config, task, ranks);
    const placed: number[] = [];
    while (placed.length < config.numStandbyReplicas) {
      const partners = pairs.subarray(active * index.processCount, (active + 1) * index.processCount);
      const bin = bestStandbyProcess(index, { used, ranks, caps, standbyCounts, activeCounts, partners, rackOk: rack.checker([active, ...placed]) });
      if (bin === -1) break;
      partners[bin] = (partners[bin] as number) + 1;
      used.push(bin);
      placed.push(bin);
      standbyCounts[bin] = (standbyCounts[bin] as number) + 1;
    }
    standbys.set(task, placed);
  }
  return standbys;
}

interface StandbyChoice {
  readonly used: readonly number[];
  readonly ranks: Float64Array;
  readonly caps: readonly number[];
  readonly standbyCounts: readonly number[];
  readonly activeCounts: readonly number[];
  /** Per process: standbys it holds already of tasks active where this task is active. */
  readonly partners: Int32Array;
  readonly rackOk: (bin: number) => boolean;
}

function bestStandbyProcess(index: ClientIndex, choice: StandbyChoice): number {
  let best = -1;
  let bestKey = [Number.POSITIVE_INFINITY, 0, 0, 0, 0];
  for (let bin = 0; bin < index.processCount; bin++) {
    if (choice.used.includes(bin)) continue;
    const load = ((choice.activeCounts[bin] as number) + (choice.standbyCounts[bin] as number) + 1) / (index.capacities[bin] as number);
    const key = [choice.rackOk(bin) ? 0 : 1, (choice.standbyCounts[bin] as number) < (choice.caps[bin] as number) ? 0 : 1, choice.ranks[bin] as number, choice.partners[bin] as number, load];
    if (lexicallyLess(key, bestKey)) {
      best = bin;
      bestKey = key;
    }
  }
  return best;
}

function lexicallyLess(left: readonly number[], right: readonly number[]): boolean {
  for (let position = 0; position < left.length; position++) {
    if ((left[position] as number) !== (right[position] as number)) return (left[position] as number) < (right[position] as number);
  }
  return false;
}

/** Each process's lag rank for the task: 0 when caught up, else by lag. */
function fillRanks(index: ClientIndex, config: AssignorConfig, task: string, ranks: Float64Array): void {
  const rankOf = (lag: number): number => (isCaughtUp(lag, config.acceptableRecoveryLag) ? 0 : lagRank(lag));
  ranks.fill(rankOf(index.lagWithoutState(task)));
  for (const holder of index.stateHolders(task)) ranks[holder.bin] = rankOf(holder.lag);
}

function standbyCaps(index: ClientIndex, totalStandbys: number): number[] {
  const totalCapacity = index.capacities.reduce((sum, capacity) => sum + capacity, 0);
  return index.capacities.map((capacity) => Math.ceil((totalStandbys * capacity) / totalCapacity));
}

/** Tag values per process for the rack-aware tag keys, and how many values each key has. */
class RackAwareness {
  private readonly valueCounts: Map<string, number>;

  constructor(
    private readonly index: ClientIndex,
    private readonly tagKeys: readonly string[],
  ) {
    this.valueCounts = new Map(
      tagKeys.map((key) => [key, new Set(index.clientTags.map((tags) => tags[key]).filter((value) => value !== undefined)).size]),
    );
  }

  /**
   * A check that a process adds a new value for every tag key that still has unused values,
   * given the processes `used` so far for the task.
   */
  checker(used: readonly number[]): (bin: number) => boolean {
    if (this.tagKeys.length === 0) return () => true;
    const constrained = this.tagKeys.flatMap((key) => {
      const usedValues = new Set(used.map((bin) => this.index.clientTags[bin]?.[key]).filter((value) => value !== undefined));
      return usedValues.size < (this.valueCounts.get(key) ?? 0) ? [{ key, usedValues }] : [];
    });
    return (bin) => constrained.every(({ key, usedValues }) => !usedValues.has(this.index.clientTags[bin]?.[key] as string));
  }
}
