import { assignTasksToProcesses, type ProcessAssignments } from './assign-tasks-to-processes.js';
import type { TaskAssignmentInput } from './assignment-input.js';
import { distributeTasksOverMembers, type MemberAssignment } from './distribute-tasks-over-members.js';

/** The assignment of all tasks to processes and to their members. */
export interface TaskAssignment extends ProcessAssignments {
  /** Per member id: its tasks. Every member of the input appears. */
  readonly members: ReadonlyMap<string, MemberAssignment>;
}

/**
 * Computes the whole assignment: tasks to processes ({@link assignTasksToProcesses}), then each
 * process's tasks to its members ({@link distributeTasksOverMembers}). Pure and deterministic.
 *
 * @example
 * import { assignTasks, assignorConfig, LATEST_OFFSET } from '@kstreams/assignor';
 *
 * const assignment = assignTasks({
 *   processes: [
 *     { processId: 'a', members: [{ memberId: 'a-1', ownedActiveTasks: ['0_0'], ownedStandbyTasks: [] }], taskOffsetSums: new Map([['0_0', LATEST_OFFSET]]) },
 *     { processId: 'b', members: [{ memberId: 'b-1', ownedActiveTasks: [], ownedStandbyTasks: [] }], taskOffsetSums: new Map() },
 *   ],
 *   statefulTasks: ['0_0', '0_1'],
 *   statelessTasks: [],
 *   changelogEndOffsetSums: new Map([['0_0', 500], ['0_1', 20]]),
 *   config: assignorConfig({ numStandbyReplicas: 1 }),
 * });
 * assignment.members.get('a-1')?.activeTasks; // ['0_0']
 */
export function assignTasks(input: TaskAssignmentInput): TaskAssignment {
  const byProcess = assignTasksToProcesses(input);
  const statefulTasks = new Set(input.statefulTasks);
  const members = new Map<string, MemberAssignment>();
  for (const process of input.processes) {
    const processAssignment = byProcess.processes.get(process.processId);
    if (processAssignment === undefined) continue;
    for (const member of distributeTasksOverMembers(process, processAssignment, { statefulTasks })) members.set(member.memberId, member);
  }
  return { ...byProcess, members };
}
