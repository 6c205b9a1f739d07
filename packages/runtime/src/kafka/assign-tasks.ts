/** A group member as the assignor sees it. */
export interface AssignmentMember {
  readonly memberId: string;
  /** Tasks the member owned before this rebalance (sticky hint). */
  readonly ownedTasks: readonly string[];
  /** Tasks the member kept as standbys before this rebalance: preferred for tasks that move. */
  readonly standbyTasks?: readonly string[];
}

/**
 * Spreads tasks over members as evenly as possible (counts differ by at most one), keeping as
 * many tasks as that allows on the member that owned them before, so their stores stay warm.
 * A task that has to move goes preferably to a member that kept it as a standby (it only
 * restores the tail). Deterministic: members are taken in member-id order, new tasks in
 * `tasks` order.
 */
export function assignTasks(members: readonly AssignmentMember[], tasks: readonly string[]): Map<string, string[]> {
  const sorted = [...members].sort((left, right) => compare(left.memberId, right.memberId));
  const result = new Map<string, string[]>(sorted.map((member) => [member.memberId, []]));
  if (sorted.length === 0) return result;
  const base = Math.floor(tasks.length / sorted.length);
  let extraSlots = tasks.length % sorted.length;
  const unassigned = new Set(tasks);

  // First keep up to `base` previous tasks per member, then let previous owners keep one more.
  for (const member of sorted) keepOwned(member, result, unassigned, base);
  for (const member of sorted) {
    if (extraSlots === 0) break;
    if (keepOwned(member, result, unassigned, base + 1) > 0) extraSlots--;
  }
  for (const task of tasks) {
    if (!unassigned.has(task)) continue;
    const target = warmStandby(sorted, task, result, base, extraSlots) ?? leastLoaded(sorted, result, base, extraSlots);
    if (result.get(target)!.length === base) extraSlots--;
    result.get(target)!.push(task);
  }
  return result;
}

function keepOwned(member: AssignmentMember, result: Map<string, string[]>, unassigned: Set<string>, limit: number): number {
  const owned = result.get(member.memberId)!;
  let kept = 0;
  for (const task of member.ownedTasks) {
    if (owned.length >= limit) break;
    if (!unassigned.delete(task)) continue;
    owned.push(task);
    kept++;
  }
  return kept;
}

function leastLoaded(members: readonly AssignmentMember[], result: Map<string, string[]>, base: number, extraSlots: number): string {
  let best: string | undefined;
  for (const member of members) {
    const count = result.get(member.memberId)!.length;
    const capacity = base + (extraSlots > 0 ? 1 : 0);
    if (count >= capacity) continue;
    if (best === undefined || count < result.get(best)!.length) best = member.memberId;
  }
  // Capacities always add up to the number of tasks, so a member with room exists.
  return best!;
}

function warmStandby(members: readonly AssignmentMember[], task: string, result: Map<string, string[]>, base: number, extraSlots: number): string | undefined {
  const capacity = base + (extraSlots > 0 ? 1 : 0);
  return members.find((member) => member.standbyTasks?.includes(task) === true && result.get(member.memberId)!.length < capacity)?.memberId;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
