/** A group member as the standby placement sees it. */
export interface StandbyMember {
  readonly memberId: string;
  /** The instance (process) the member runs in; members of one instance share a state directory. */
  readonly processId: string;
}

/**
 * Places `replicas` standby copies of each stateful task on members of other instances than
 * the one running the task's active copy (never the same instance, so never the same state
 * directory), at most one copy per instance. Instances with fewer standbys go first (ties: the
 * instances following the owner's in process-id order), and
 * within an instance the member with the fewest tasks (active and standby). With fewer other
 * instances than `replicas`, a task gets fewer standbys. Deterministic: every member computing
 * it from the same input gets the same answer.
 */
export function assignStandbys(
  members: readonly StandbyMember[],
  active: ReadonlyMap<string, readonly string[]>,
  statefulTasks: readonly string[],
  replicas: number,
): Map<string, string[]> {
  const sorted = [...members].sort((left, right) => compare(left.memberId, right.memberId));
  const result = new Map<string, string[]>(sorted.map((member) => [member.memberId, []]));
  if (replicas <= 0) return result;
  const processOf = new Map(sorted.map((member) => [member.memberId, member.processId]));
  const activeOwner = new Map<string, string>();
  for (const [memberId, tasks] of active) for (const task of tasks) activeOwner.set(task, memberId);
  const membersByProcess = new Map<string, StandbyMember[]>();
  for (const member of sorted) membersByProcess.set(member.processId, [...(membersByProcess.get(member.processId) ?? []), member]);
  const processes = [...membersByProcess.keys()].sort(compare);
  const standbyLoad = new Map<string, number>(processes.map((processId) => [processId, 0]));
  const taskLoad = (memberId: string): number => (active.get(memberId)?.length ?? 0) + (result.get(memberId)?.length ?? 0);

  for (const task of statefulTasks) {
    const owner = activeOwner.get(task);
    if (owner === undefined) continue;
    const ownerProcess = processOf.get(owner);
    const ownerIndex = processes.indexOf(ownerProcess ?? '');
    // Ties go to the instances right after the owner's, so copies spread around the ring.
    const distance = (processId: string): number => (processes.indexOf(processId) - ownerIndex + processes.length) % processes.length;
    const candidates = processes
      .filter((processId) => processId !== ownerProcess)
      .sort((left, right) => standbyLoad.get(left)! - standbyLoad.get(right)! || distance(left) - distance(right))
      .slice(0, replicas);
    for (const processId of candidates) {
      const target = membersByProcess.get(processId)!.reduce((best, member) => (taskLoad(member.memberId) < taskLoad(best.memberId) ? member : best));
      result.get(target.memberId)!.push(task);
      standbyLoad.set(processId, standbyLoad.get(processId)! + 1);
    }
  }
  return result;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
