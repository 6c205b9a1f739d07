import type { AssignorConfig } from '../assignor-config.js';
import type { ClientIndex } from './client-index.js';
import { TaskRanks } from './task-ranks.js';

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
 * @returns stateful task → process indexes of its standbys, and how many could not be placed.
 */
export function assignStandbyTasks(
  index: ClientIndex,
  config: AssignorConfig,
  activeOwners: ReadonlyMap<string, number>,
  warmups: ReadonlyMap<string, number>,
  activeCounts: readonly number[],
): { standbys: Map<string, number[]>; missingReplicas: number } {
  const standbys = new Map<string, number[]>();
  let missingReplicas = 0;
  if (config.numStandbyReplicas === 0) return { standbys, missingReplicas };
  const rack = new RackAwareness(index, config.rackAwareAssignmentTags);
  const perTask = Math.max(0, Math.min(config.numStandbyReplicas, index.processCount - 1));
  const caps = standbyCaps(index, perTask * index.statefulTasks.length);
  const standbyCounts = new Array<number>(index.processCount).fill(0);
  // pairs[active * processCount + standby]: standbys on `standby` of tasks active on `active`.
  const pairs = new Int32Array(index.processCount * index.processCount);
  const ranks = new TaskRanks(index, config.acceptableRecoveryLag);
  for (const task of index.statefulTasks) {
    const active = activeOwners.get(task) as number;
    const used = [active];
    const warmup = warmups.get(task);
    if (warmup !== undefined) used.push(warmup);
    ranks.use(task);
    const placed: number[] = [];
    while (placed.length < config.numStandbyReplicas) {
      const partners = pairs.subarray(active * index.processCount, (active + 1) * index.processCount);
      const bin = bestStandbyProcess(index, task, { used, ranks, caps, standbyCounts, activeCounts, partners, rackOk: rack.checker([active, ...placed]) });
      if (bin === -1) break;
      partners[bin] = (partners[bin] as number) + 1;
      used.push(bin);
      placed.push(bin);
      standbyCounts[bin] = (standbyCounts[bin] as number) + 1;
    }
    standbys.set(task, placed);
    missingReplicas += config.numStandbyReplicas - placed.length;
  }
  return { standbys, missingReplicas };
}

interface StandbyChoice {
  readonly used: readonly number[];
  readonly ranks: TaskRanks;
  readonly caps: readonly number[];
  readonly standbyCounts: readonly number[];
  readonly activeCounts: readonly number[];
  /** Per process: standbys it holds already of tasks active where this task is active. */
  readonly partners: Int32Array;
  /** Undefined when standbys are not rack-aware. */
  readonly rackOk: ((bin: number) => boolean) | undefined;
}

/**
 * The best candidate by (rack-aware, below cap, lag rank, partners, load, index); -1 if none.
 * When a process holding caught-up state qualifies on the first three, only the holders can win,
 * so the others are not looked at (the common case once state is spread).
 */
function bestStandbyProcess(index: ClientIndex, task: string, choice: StandbyChoice): number {
  const holders = new StandbyCandidateSearch(index, choice);
  for (const holder of index.stateHolders(task)) holders.consider(holder.bin);
  if (holders.best !== -1 && holders.isIdeal(choice.ranks.withoutState())) return holders.best;
  const everyone = new StandbyCandidateSearch(index, choice);
  for (let bin = 0; bin < index.processCount; bin++) everyone.consider(bin);
  return everyone.best;
}

/** Keeps the best standby candidate seen so far. */
class StandbyCandidateSearch {
  best = -1;
  private bestRack = 2;
  private bestOverCap = 2;
  private bestRank = Number.POSITIVE_INFINITY;
  private bestPartners = Number.POSITIVE_INFINITY;
  private bestLoad = Number.POSITIVE_INFINITY;

  constructor(
    private readonly index: ClientIndex,
    private readonly choice: StandbyChoice,
  ) {}

  consider(bin: number): void {
    const choice = this.choice;
    if (choice.used.includes(bin)) return;
    const rack = choice.rackOk === undefined || choice.rackOk(bin) ? 0 : 1;
    if (rack > this.bestRack) return;
    const overCap = (choice.standbyCounts[bin] as number) < (choice.caps[bin] as number) ? 0 : 1;
    const rank = choice.ranks.of(bin);
    const partners = choice.partners[bin] as number;
    const load = ((choice.activeCounts[bin] as number) + (choice.standbyCounts[bin] as number) + 1) / (this.index.capacities[bin] as number);
    const better =
      rack < this.bestRack ||
      (overCap !== this.bestOverCap
        ? overCap < this.bestOverCap
        : rank !== this.bestRank
          ? rank < this.bestRank
          : partners !== this.bestPartners
            ? partners < this.bestPartners
            : load < this.bestLoad || (load === this.bestLoad && bin < this.best));
    if (!better) return;
    this.best = bin;
    this.bestRack = rack;
    this.bestOverCap = overCap;
    this.bestRank = rank;
    this.bestPartners = partners;
    this.bestLoad = load;
  }

  /** True when the best is rack-aware, below its cap, and ranks better than a process without state. */
  isIdeal(rankWithoutState: number): boolean {
    return this.bestRack === 0 && this.bestOverCap === 0 && this.bestRank < rankWithoutState;
  }
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
   * A check (undefined without rack-aware tags) that a process adds a new value for every tag key that still has unused values,
   * given the processes `used` so far for the task.
   */
  checker(used: readonly number[]): ((bin: number) => boolean) | undefined {
    if (this.tagKeys.length === 0) return undefined;
    const constrained = this.tagKeys.flatMap((key) => {
      const usedValues = new Set(used.map((bin) => this.index.clientTags[bin]?.[key]).filter((value) => value !== undefined));
      return usedValues.size < (this.valueCounts.get(key) ?? 0) ? [{ key, usedValues }] : [];
    });
    return (bin) => constrained.every(({ key, usedValues }) => !usedValues.has(this.index.clientTags[bin]?.[key] as string));
  }
}
