import type { TaskAssignmentInput } from './assignment-input.js';
import { assignActiveTasks } from './internal/assign-active-tasks.js';
import { assignStandbyTasks } from './internal/assign-standby-tasks.js';
import { ClientIndex } from './internal/client-index.js';

/** The tasks one process (application instance) gets. */
export interface ProcessAssignment {
  readonly processId: string;
  /** Active tasks, sorted. */
  readonly activeTasks: readonly string[];
  /** Standby tasks, sorted (warm-ups not included). */
  readonly standbyTasks: readonly string[];
  /** Warm-up replicas, sorted: standbys that prepare a move of the task to this process. */
  readonly warmupTasks: readonly string[];
}

/** The assignment of all tasks to processes. */
export interface ProcessAssignments {
  /** Per process id, every process of the input (possibly with nothing to do). */
  readonly processes: ReadonlyMap<string, ProcessAssignment>;
  /**
   * True when some stateful task is not yet where balance wants it, because no caught-up
   * state exists there: schedule a probing rebalance after `probingRebalanceIntervalMs`.
   */
  readonly probingRebalanceNeeded: boolean;
  /**
   * Standby replicas that could not be placed because there are too few processes (each copy
   * needs a process of its own): worth a warning that asks for more instances.
   */
  readonly missingStandbyReplicas: number;
}

/**
 * Assigns tasks to processes (instances): active tasks sticky, balanced by capacity and lag-aware
 * with warm-ups; standbys rack-aware; stateless tasks balanced freely. Deterministic: the same
 * input gives the same output, whatever the order of processes, members or tasks.
 *
 * @throws TaskAssignmentError for a bad input (no process while there are tasks, duplicate
 * process, process without members, malformed task id, task both stateful and stateless).
 */
export function assignTasksToProcesses(input: TaskAssignmentInput): ProcessAssignments {
  const index = new ClientIndex(input, input.config.acceptableRecoveryLag);
  const placement = assignActiveTasks(index, input.config);
  const { standbys, missingReplicas } = assignStandbyTasks(index, input.config, placement.activeOwners, placement.warmups, placement.activeCounts);
  // Filled in sorted task order, so every list comes out sorted.
  const lists = index.processIds.map(() => ({ active: [] as string[], standby: [] as string[], warmup: [] as string[] }));
  for (const task of index.allTasks) {
    lists[placement.activeOwners.get(task) as number]?.active.push(task);
    const warmup = placement.warmups.get(task);
    if (warmup !== undefined) lists[warmup]?.warmup.push(task);
    for (const bin of standbys.get(task) ?? []) lists[bin]?.standby.push(task);
  }
  const processes = new Map<string, ProcessAssignment>();
  index.processIds.forEach((processId, bin) => {
    const list = lists[bin] as (typeof lists)[number];
    processes.set(processId, { processId, activeTasks: list.active, standbyTasks: list.standby, warmupTasks: list.warmup });
  });
  return { processes, probingRebalanceNeeded: placement.movementsNeeded > 0, missingStandbyReplicas: missingReplicas };
}
