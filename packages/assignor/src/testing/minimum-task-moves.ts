/**
 * The fewest tasks that must move off the processes that stay, for the new assignment to be
 * balanced (each process within one task of its capacity-weighted share): every process may
 * keep min(previous, floor(share)) tasks, and as many processes as the shares' fractional parts
 * add up to may keep one more. Tasks of processes that left are not counted (they move anyway).
 *
 * @param previousCounts tasks each remaining process held before, by position.
 * @param capacities threads of each remaining process, same positions.
 * @param taskCount all tasks to assign.
 */
export function minimumTaskMoves(previousCounts: readonly number[], capacities: readonly number[], taskCount: number): number {
  const totalCapacity = capacities.reduce((sum, capacity) => sum + capacity, 0);
  let extras = taskCount;
  const floors = capacities.map((capacity) => {
    const floor = Math.floor((taskCount * capacity) / totalCapacity);
    extras -= floor;
    return floor;
  });
  let kept = 0;
  previousCounts.forEach((previous, position) => {
    const floor = floors[position] as number;
    kept += Math.min(previous, floor);
    const hasCeiling = (taskCount * (capacities[position] as number)) % totalCapacity !== 0;
    if (previous > floor && hasCeiling && extras > 0) {
      kept += 1;
      extras -= 1;
    }
  });
  return previousCounts.reduce((sum, count) => sum + count, 0) - kept;
}
