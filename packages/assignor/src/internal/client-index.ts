import { TaskAssignmentError } from '../assignment-error.js';
import type { TaskAssignmentInput } from '../assignment-input.js';
import { isCaughtUp, LATEST_OFFSET, lagRank, taskLag } from '../task-lags.js';
import { sortTaskIds } from '../task-id.js';

/** A process holding state of a task, and how far behind that state is. */
export interface StateHolder {
  readonly bin: number;
  readonly lag: number;
}

/**
 * The assignment input indexed for fast look-ups: processes sorted by id and referred to by
 * index ("bin"), sorted task lists, previous owners, and per stateful task the few processes
 * that hold its state (every other process would restore the whole changelog).
 */
export class ClientIndex {
  readonly processIds: string[];
  readonly capacities: number[];
  /** Every task, sorted. */
  readonly allTasks: string[];
  readonly statefulTasks: string[];
  readonly statelessTasks: string[];
  readonly clientTags: Readonly<Record<string, string>>[];
  private readonly previousActive = new Map<string, number>();
  private readonly previousStandby = new Map<string, number[]>();
  private readonly holders = new Map<string, StateHolder[]>();
  private readonly defaultLags: Map<string, number>;

  constructor(
    input: TaskAssignmentInput,
    private readonly acceptableRecoveryLag: number,
  ) {
    const processes = [...input.processes].sort((left, right) => (left.processId < right.processId ? -1 : left.processId > right.processId ? 1 : 0));
    checkProcesses(processes.map((process) => process.processId), processes.map((process) => process.members.length));
    this.processIds = processes.map((process) => process.processId);
    this.capacities = processes.map((process) => process.members.length);
    this.clientTags = processes.map((process) => process.clientTags ?? {});
    const stateful = new Set(input.statefulTasks);
    checkDisjoint(input.statelessTasks, stateful);
    this.allTasks = sortTaskIds([...input.statefulTasks, ...input.statelessTasks]);
    this.statefulTasks = this.allTasks.filter((task) => stateful.has(task));
    this.statelessTasks = this.allTasks.filter((task) => !stateful.has(task));
    if (processes.length === 0 && this.allTasks.length > 0) {
      throw new TaskAssignmentError(`There is no process to assign ${this.allTasks.length} tasks to: the group needs at least one member.`);
    }
    const endOffsetSums = new Map(this.statefulTasks.map((task) => [task, input.changelogEndOffsetSums.get(task) ?? 0]));
    this.defaultLags = endOffsetSums;
    processes.forEach((process, bin) => this.addProcess(process, bin));
  }

  private addProcess(process: TaskAssignmentInput['processes'][number], bin: number): void {
    for (const member of process.members) {
      for (const task of member.ownedActiveTasks) if (!this.previousActive.has(task)) this.previousActive.set(task, bin);
      for (const task of member.ownedStandbyTasks) appendTo(this.previousStandby, task, bin);
    }
    process.taskOffsetSums.forEach((offsetSum, task) => {
      if (offsetSum === LATEST_OFFSET && !this.previousActive.has(task)) this.previousActive.set(task, bin);
      const endOffsetSum = this.defaultLags.get(task);
      if (endOffsetSum !== undefined) appendTo(this.holders, task, { bin, lag: taskLag(offsetSum, endOffsetSum) });
    });
  }

  get processCount(): number {
    return this.processIds.length;
  }

  /** The process that ran the task as active before (the first one, if several claim it). */
  previousActiveOwner(task: string): number | undefined {
    return this.previousActive.get(task);
  }

  /** Processes that kept the task as standby before. */
  previousStandbyHolders(task: string): readonly number[] {
    return this.previousStandby.get(task) ?? [];
  }

  /** Processes holding state of a stateful task, with their lags. */
  stateHolders(task: string): readonly StateHolder[] {
    return this.holders.get(task) ?? [];
  }

  /** The lag of `bin` for a stateful task (the whole changelog where it holds no state). */
  lag(task: string, bin: number): number {
    for (const holder of this.stateHolders(task)) if (holder.bin === bin) return holder.lag;
    return this.defaultLags.get(task) ?? 0;
  }

  /** The lag of a process that holds no state of the task. */
  lagWithoutState(task: string): number {
    return this.defaultLags.get(task) ?? 0;
  }

  isCaughtUp(task: string, bin: number): boolean {
    return isCaughtUp(this.lag(task, bin), this.acceptableRecoveryLag);
  }

  /** The best (lowest) lag rank any process has for the task. */
  bestRank(task: string): number {
    let best = lagRank(this.lagWithoutState(task));
    for (const holder of this.stateHolders(task)) best = Math.min(best, lagRank(holder.lag));
    return best;
  }
}

function checkProcesses(processIds: readonly string[], memberCounts: readonly number[]): void {
  processIds.forEach((processId, index) => {
    if (index > 0 && processIds[index - 1] === processId) {
      throw new TaskAssignmentError(`Process ${processId} is listed twice: merge its members into one ProcessState.`);
    }
    if (memberCounts[index] === 0) {
      throw new TaskAssignmentError(`Process ${processId} has no members: every process needs at least one member (thread).`);
    }
  });
}

function checkDisjoint(statelessTasks: readonly string[], statefulTasks: ReadonlySet<string>): void {
  for (const task of statelessTasks) {
    if (statefulTasks.has(task)) throw new TaskAssignmentError(`Task ${task} is listed as both stateful and stateless: list it once.`, { taskId: task });
  }
}

function appendTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
