import { assignTasks, type TaskAssignment } from '../assign-tasks.js';
import type { AssignorConfig } from '../assignor-config.js';
import type { ProcessState } from '../assignment-input.js';
import { LATEST_OFFSET } from '../task-lags.js';

/** A simulated instance: its threads, tags, and the state it holds on disk per task. */
interface SimulatedProcess {
  readonly threads: number;
  readonly clientTags: Readonly<Record<string, string>>;
  /** Task → changelog offset sum its local state reached. */
  readonly offsetSums: Map<string, number>;
}

/** What one simulated rebalance did. */
export interface SimulatedRebalance {
  readonly assignment: TaskAssignment;
  /** Stateful tasks whose active moved from one surviving process to another. */
  readonly movedTasks: readonly string[];
  /** Stateful tasks whose active process left the group (they must move). */
  readonly orphanedTasks: readonly string[];
  /**
   * Per stateful task that became active on a process: the records it had to restore there
   * before running (its lag on that process at the rebalance).
   */
  readonly promotionLags: ReadonlyMap<string, number>;
}

/**
 * A group of application instances driven through rebalances without Kafka, for tests and the
 * assignor simulation benchmark. Each rebalance feeds the assignor what the instances would
 * report (owned tasks per thread, offset sums of the state on disk); between rebalances
 * {@link restore} lets standbys and warm-ups catch up. Actives are always caught up: they report
 * `LATEST_OFFSET`, and keep their state (at the changelog end) when they lose the task.
 */
export class AssignmentSimulation {
  private readonly processes = new Map<string, SimulatedProcess>();
  private last: TaskAssignment | undefined;

  constructor(
    private readonly options: {
      readonly statefulTasks: readonly string[];
      readonly statelessTasks?: readonly string[];
      /** Changelog end offset sum of every stateful task. */
      readonly endOffsetSum: number;
      readonly config: AssignorConfig;
    },
  ) {}

  /** Starts an instance with no state on disk. */
  addProcess(processId: string, options: { threads?: number; clientTags?: Record<string, string> } = {}): void {
    this.processes.set(processId, { threads: options.threads ?? 1, clientTags: options.clientTags ?? {}, offsetSums: new Map() });
  }

  /** Stops (or kills) an instance: its threads leave the group, its state is gone with it. */
  removeProcess(processId: string): void {
    this.processes.delete(processId);
  }

  /** Runs one rebalance and records its result as what every thread owns now. */
  rebalance(): SimulatedRebalance {
    const previousOwners = this.activeProcessByTask();
    const assignment = assignTasks({
      processes: [...this.processes].map(([processId, process]) => this.processState(processId, process)),
      statefulTasks: this.options.statefulTasks,
      statelessTasks: this.options.statelessTasks ?? [],
      changelogEndOffsetSums: new Map(this.options.statefulTasks.map((task) => [task, this.options.endOffsetSum])),
      config: this.options.config,
    });
    const movedTasks: string[] = [];
    const orphanedTasks: string[] = [];
    const promotionLags = new Map<string, number>();
    const stateful = new Set(this.options.statefulTasks);
    for (const [processId, process] of assignment.processes) {
      for (const task of process.activeTasks) {
        const previous = previousOwners.get(task);
        if (previous === processId || !stateful.has(task)) continue;
        promotionLags.set(task, this.options.endOffsetSum - this.offsetSumOf(processId, task));
        if (previous !== undefined) (this.processes.has(previous) ? movedTasks : orphanedTasks).push(task);
      }
    }
    this.last = assignment;
    this.settleActives(assignment);
    return { assignment, movedTasks, orphanedTasks, promotionLags };
  }

  /** Standbys and warm-ups restore up to `records` more records each (default: all the way). */
  restore(records = Number.POSITIVE_INFINITY): void {
    for (const [processId, process] of this.processes) {
      const assigned = this.last?.processes.get(processId);
      for (const task of [...(assigned?.standbyTasks ?? []), ...(assigned?.warmupTasks ?? [])]) {
        const current = process.offsetSums.get(task) ?? 0;
        process.offsetSums.set(task, Math.min(this.options.endOffsetSum, current + records));
      }
    }
  }

  /** The assignment of the latest rebalance. */
  lastAssignment(): TaskAssignment | undefined {
    return this.last;
  }

  /** The offset sum an instance's state of a task reached (0 when it has none). */
  offsetSumOf(processId: string, task: string): number {
    return this.processes.get(processId)?.offsetSums.get(task) ?? 0;
  }

  private processState(processId: string, process: SimulatedProcess): ProcessState {
    const members = [...Array(process.threads).keys()].map((thread) => {
      const memberId = `${processId}-${thread}`;
      const owned = this.last?.members.get(memberId);
      return { memberId, ownedActiveTasks: owned?.activeTasks ?? [], ownedStandbyTasks: owned?.standbyTasks ?? [] };
    });
    const active = new Set(this.last?.processes.get(processId)?.activeTasks ?? []);
    const taskOffsetSums = new Map([...process.offsetSums].map(([task, sum]) => [task, active.has(task) ? LATEST_OFFSET : sum]));
    return { processId, members, taskOffsetSums, clientTags: process.clientTags };
  }

  /** An active task restores to the end before it runs, so its state is complete from now on. */
  private settleActives(assignment: TaskAssignment): void {
    const stateful = new Set(this.options.statefulTasks);
    for (const [processId, process] of assignment.processes) {
      const simulated = this.processes.get(processId);
      for (const task of process.activeTasks) if (stateful.has(task)) simulated?.offsetSums.set(task, this.options.endOffsetSum);
    }
  }

  private activeProcessByTask(): Map<string, string> {
    const owners = new Map<string, string>();
    for (const [processId, process] of this.last?.processes ?? []) for (const task of process.activeTasks) owners.set(task, processId);
    return owners;
  }
}
