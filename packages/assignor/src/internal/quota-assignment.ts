/**
 * Sticky, balanced placement of tasks into bins (processes, or the threads of one process).
 *
 * Every bin gets a share of `total` tasks proportional to its capacity: at least
 * `floor(share)` and at most `ceil(share)`. Only as many bins may reach the ceiling as the
 * fractional parts add up to ("extras"), so every bin ends within one task of its share.
 * Phase A keeps each task with its previous owner while the owner is within its quota (this is
 * where stickiness comes from: nothing moves that balance does not require). Phase B places the
 * rest: first into bins below their floor, then one extra each, choosing among those bins with
 * `pick` (state, load). With counts placed before (`startCounts`) beyond the quotas, balance may be
 * impossible: then the remaining tasks go to the least loaded bins.
 */
export interface QuotaAssignmentOptions {
  /** Tasks to place, in the order they are considered. */
  readonly tasks: readonly string[];
  /** Capacity (thread count) of each bin; bins are referred to by index. */
  readonly capacities: readonly number[];
  /** Tasks each bin holds already that count towards the same quota (default: none). */
  readonly startCounts?: readonly number[];
  /** The bin that owned a task before, if it still exists. */
  readonly previousOwner: (task: string) => number | undefined;
  /**
   * Order in which a bin over its quota keeps its previous tasks (lower keeps first); tasks not
   * kept move. `receivers` are the bins that will take the released tasks (below their quota).
   * Default: the order of `tasks`.
   */
  readonly keepRank?: (task: string, bin: number, receivers: readonly number[]) => number;
  /** Chooses a bin for a task among `candidates` (non-empty); default: least loaded. */
  readonly pick?: (task: string, candidates: readonly number[], loads: QuotaLoads) => number;
}

/** The current counts and capacities, for `pick` functions that weigh load. */
export interface QuotaLoads {
  readonly counts: readonly number[];
  readonly capacities: readonly number[];
}

/** Places every task; returns the bin index per task, in the order of `options.tasks`. */
export function assignWithQuotas(options: QuotaAssignmentOptions): Int32Array {
  const binCount = options.capacities.length;
  const counts = options.startCounts === undefined ? new Array<number>(binCount).fill(0) : [...options.startCounts];
  const total = options.tasks.length + counts.reduce((sum, count) => sum + count, 0);
  const quotas = computeQuotas(total, options.capacities, counts);
  const owners = new Int32Array(options.tasks.length).fill(-1);
  keepPreviousOwners(options, owners, counts, quotas);
  const loads: QuotaLoads = { counts, capacities: options.capacities };
  const pick = options.pick ?? ((_task, candidates, current) => leastLoaded(candidates, current));
  const candidates: number[] = [];
  for (let index = 0; index < options.tasks.length; index++) {
    if (owners[index] !== -1) continue;
    const task = options.tasks[index] as string;
    const usesExtra = collectCandidates(quotas, counts, candidates);
    const bin = pick(task, candidates, loads);
    if (usesExtra) takeExtra(quotas, bin);
    owners[index] = bin;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return owners;
}

interface Quotas {
  /** What each bin may hold now: its floor, or its ceiling once it took an extra. */
  readonly limits: number[];
  /** Whether a bin can still take an extra (its ceiling is above its limit). */
  readonly canTakeExtra: boolean[];
  /** Extras left to hand out. */
  extras: number;
}

function computeQuotas(total: number, capacities: readonly number[], counts: readonly number[]): Quotas {
  const totalCapacity = capacities.reduce((sum, capacity) => sum + capacity, 0);
  const limits: number[] = [];
  const canTakeExtra: boolean[] = [];
  let extras = total;
  capacities.forEach((capacity, bin) => {
    const floor = Math.floor((total * capacity) / totalCapacity);
    const ceiling = (total * capacity) % totalCapacity === 0 ? floor : floor + 1;
    const base = Math.max(floor, counts[bin] as number);
    limits.push(base);
    canTakeExtra.push(base < ceiling);
    extras -= base;
  });
  return { limits, canTakeExtra, extras: Math.max(0, extras) };
}

function keepPreviousOwners(options: QuotaAssignmentOptions, owners: Int32Array, counts: number[], quotas: Quotas): void {
  const previousByBin: number[][] = options.capacities.map(() => []);
  options.tasks.forEach((task, index) => {
    const owner = options.previousOwner(task);
    if (owner !== undefined) previousByBin[owner]?.push(index);
  });
  const receivers = receivingBins(previousByBin, counts, quotas);
  previousByBin.forEach((taskIndexes, bin) => {
    const overQuota = (counts[bin] as number) + taskIndexes.length > (quotas.limits[bin] as number);
    if (options.keepRank !== undefined && overQuota) {
      const rank = options.keepRank;
      const ranks = new Map(taskIndexes.map((index) => [index, rank(options.tasks[index] as string, bin, receivers)]));
      taskIndexes.sort((left, right) => (ranks.get(left) as number) - (ranks.get(right) as number) || left - right);
    }
    for (const index of taskIndexes) {
      if ((counts[bin] as number) >= (quotas.limits[bin] as number)) {
        if (!quotas.canTakeExtra[bin] || quotas.extras === 0) break;
        takeExtra(quotas, bin);
      }
      owners[index] = bin;
      counts[bin] = (counts[bin] as number) + 1;
    }
  });
}

/** Bins that will hold fewer than their floor after keeping their previous tasks, else those that may take an extra. */
function receivingBins(previousByBin: readonly number[][], counts: readonly number[], quotas: Quotas): number[] {
  const held = (bin: number): number => (counts[bin] as number) + (previousByBin[bin]?.length ?? 0);
  const belowFloor = previousByBin.flatMap((_, bin) => (held(bin) < (quotas.limits[bin] as number) ? [bin] : []));
  if (belowFloor.length > 0) return belowFloor;
  return previousByBin.flatMap((_, bin) => (quotas.canTakeExtra[bin] && held(bin) <= (quotas.limits[bin] as number) ? [bin] : []));
}

/** Fills `candidates` with the bins that may take the next task; true when that uses an extra. */
function collectCandidates(quotas: Quotas, counts: readonly number[], candidates: number[]): boolean {
  candidates.length = 0;
  for (let bin = 0; bin < counts.length; bin++) if ((counts[bin] as number) < (quotas.limits[bin] as number)) candidates.push(bin);
  if (candidates.length > 0) return false;
  if (quotas.extras > 0) {
    for (let bin = 0; bin < counts.length; bin++) if (quotas.canTakeExtra[bin]) candidates.push(bin);
    if (candidates.length > 0) return true;
  }
  for (let bin = 0; bin < counts.length; bin++) candidates.push(bin);
  return false;
}

function takeExtra(quotas: Quotas, bin: number): void {
  quotas.limits[bin] = (quotas.limits[bin] as number) + 1;
  quotas.canTakeExtra[bin] = false;
  quotas.extras -= 1;
}

/** The candidate with the lowest (count + 1) / capacity; the lowest index on ties. */
export function leastLoaded(candidates: readonly number[], loads: QuotaLoads): number {
  let best = candidates[0] as number;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const bin of candidates) {
    const load = ((loads.counts[bin] as number) + 1) / (loads.capacities[bin] as number);
    if (load < bestLoad) {
      best = bin;
      bestLoad = load;
    }
  }
  return best;
}
