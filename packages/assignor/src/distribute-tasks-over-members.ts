import type { ProcessAssignment } from './assign-tasks-to-processes.js';
import type { MemberState, ProcessState } from './assignment-input.js';
import { assignWithQuotas, leastLoaded } from './internal/quota-assignment.js';
import { sortTaskIds } from './task-id.js';

/** The tasks one member (stream thread) gets. */
export interface MemberAssignment {
  readonly memberId: string;
  readonly processId: string;
  /** Active tasks, sorted. */
  readonly activeTasks: readonly string[];
  /** Standby tasks, warm-ups included (the runtime runs both as standbys), sorted. */
  readonly standbyTasks: readonly string[];
  /** The subset of `standbyTasks` that are warm-up replicas. */
  readonly warmupTasks: readonly string[];
}

/**
 * Spreads a process's tasks over its members (threads), as evenly as possible and sticky to what
 * each member owned: first the stateful active tasks (each member within one task of the others),
 * then the stateless ones to even out the active counts, then standbys and warm-ups to even out
 * the totals. A task a member does not keep goes preferably to the member that held it as a
 * standby (its stores are open there), else to the least loaded member.
 *
 * @returns one assignment per member, sorted by member id.
 */
export function distributeTasksOverMembers(
  process: ProcessState,
  assignment: ProcessAssignment,
  options: { readonly statefulTasks: ReadonlySet<string> },
): MemberAssignment[] {
  const members = [...process.members].sort((left, right) => (left.memberId < right.memberId ? -1 : left.memberId > right.memberId ? 1 : 0));
  const capacities = members.map(() => 1);
  const activeOwner = ownerLookup(members, (member) => member.ownedActiveTasks);
  const standbyOwner = ownerLookup(members, (member) => member.ownedStandbyTasks);
  const anyOwner = (task: string): number | undefined => activeOwner(task) ?? standbyOwner(task);
  const preferStandbyOwner = (task: string, candidates: readonly number[], loads: Parameters<typeof leastLoaded>[1]): number => {
    const preferred = standbyOwner(task);
    return preferred !== undefined && candidates.includes(preferred) ? preferred : leastLoaded(candidates, loads);
  };
  const stateful = assignment.activeTasks.filter((task) => options.statefulTasks.has(task));
  const stateless = assignment.activeTasks.filter((task) => !options.statefulTasks.has(task));
  const standbys = assignment.warmupTasks.length === 0 ? assignment.standbyTasks : sortTaskIds([...assignment.standbyTasks, ...assignment.warmupTasks]);
  const counts = members.map(() => 0);
  const memberOf = new Map<string, number>();
  const place = (tasks: readonly string[], previousOwner: (task: string) => number | undefined): void => {
    const owners = assignWithQuotas({ tasks, capacities, startCounts: counts, previousOwner, pick: preferStandbyOwner });
    tasks.forEach((task, position) => {
      const member = owners[position] as number;
      memberOf.set(task, member);
      counts[member] = (counts[member] as number) + 1;
    });
  };
  place(stateful, activeOwner);
  place(stateless, activeOwner);
  place(standbys, anyOwner);
  // Collected in sorted task order, so every list comes out sorted.
  const lists = members.map(() => ({ active: [] as string[], standby: [] as string[], warmup: [] as string[] }));
  for (const task of assignment.activeTasks) lists[memberOf.get(task) as number]?.active.push(task);
  for (const task of standbys) lists[memberOf.get(task) as number]?.standby.push(task);
  for (const task of assignment.warmupTasks) lists[memberOf.get(task) as number]?.warmup.push(task);
  return members.map((member, position) => {
    const list = lists[position] as (typeof lists)[number];
    return { memberId: member.memberId, processId: process.processId, activeTasks: list.active, standbyTasks: list.standby, warmupTasks: list.warmup };
  });
}

function ownerLookup(members: readonly MemberState[], tasksOf: (member: MemberState) => readonly string[]): (task: string) => number | undefined {
  const owners = new Map<string, number>();
  members.forEach((member, position) => {
    for (const task of tasksOf(member)) if (!owners.has(task)) owners.set(task, position);
  });
  return (task) => owners.get(task);
}
