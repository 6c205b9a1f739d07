import { isCaughtUp, lagRank } from '../task-lags.js';
import type { ClientIndex } from './client-index.js';

/**
 * Every process's rank for one task at a time (0 when caught up, else by lag: lower is better),
 * without allocating per task: only the few processes holding state differ from the default.
 */
export class TaskRanks {
  private readonly ranks: Float64Array;
  private task: string | undefined;
  private defaultRank = 0;

  constructor(
    private readonly index: ClientIndex,
    private readonly acceptableRecoveryLag: number,
  ) {
    this.ranks = new Float64Array(index.processCount).fill(Number.NaN);
  }

  /** Switches to `task`; ranks of the previous task are forgotten. */
  use(task: string): this {
    if (this.task === task) return this;
    if (this.task !== undefined) for (const holder of this.index.stateHolders(this.task)) this.ranks[holder.bin] = Number.NaN;
    this.task = task;
    this.defaultRank = this.rankOfLag(this.index.lagWithoutState(task));
    for (const holder of this.index.stateHolders(task)) this.ranks[holder.bin] = this.rankOfLag(holder.lag);
    return this;
  }

  /** The rank of process `bin` for the current task. */
  of(bin: number): number {
    const rank = this.ranks[bin] as number;
    return Number.isNaN(rank) ? this.defaultRank : rank;
  }

  /** The rank of a process holding no state of the current task. */
  withoutState(): number {
    return this.defaultRank;
  }

  private rankOfLag(lag: number): number {
    return isCaughtUp(lag, this.acceptableRecoveryLag) ? 0 : lagRank(lag);
  }
}
