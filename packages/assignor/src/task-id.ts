import { TaskAssignmentError } from './assignment-error.js';

/** A task id `<subtopology>_<partition>` split into its numbers. */
export interface TaskIdParts {
  readonly subtopology: number;
  readonly partition: number;
}

const TASK_ID_PATTERN = /^(\d+)_(\d+)$/;
const MAX_INT32 = 0x7fffffff;

/** Builds the task id `<subtopology>_<partition>` (Java's `TaskId.toString()`). */
export function formatTaskId(subtopology: number, partition: number): string {
  return `${subtopology}_${partition}`;
}

/**
 * Splits a task id `<subtopology>_<partition>` into its numbers.
 *
 * @throws TaskAssignmentError when the id is not two non-negative 32-bit integers joined by `_`.
 */
export function parseTaskId(taskId: string): TaskIdParts {
  const match = TASK_ID_PATTERN.exec(taskId);
  const subtopology = Number(match?.[1]);
  const partition = Number(match?.[2]);
  if (match === null || subtopology > MAX_INT32 || partition > MAX_INT32) {
    throw new TaskAssignmentError(
      `Task id "${taskId}" is not valid: expected "<subtopology>_<partition>" with two non-negative 32-bit integers, e.g. "0_3".`,
    );
  }
  return { subtopology, partition };
}

/** Orders task ids by sub-topology, then partition (Java's `TaskId.compareTo`). */
export function compareTaskIds(left: string, right: string): number {
  if (left === right) return 0;
  const leftParts = parseTaskId(left);
  const rightParts = parseTaskId(right);
  return leftParts.subtopology - rightParts.subtopology || leftParts.partition - rightParts.partition;
}

/** A sorted copy of `taskIds` (sub-topology, then partition), without duplicates. */
export function sortTaskIds(taskIds: Iterable<string>): string[] {
  const unique = [...new Set(taskIds)];
  const subtopologies = new Int32Array(unique.length);
  const partitions = new Int32Array(unique.length);
  unique.forEach((taskId, position) => {
    const parts = parseTaskId(taskId);
    subtopologies[position] = parts.subtopology;
    partitions[position] = parts.partition;
  });
  const order = [...unique.keys()].sort(
    (left, right) => (subtopologies[left] as number) - (subtopologies[right] as number) || (partitions[left] as number) - (partitions[right] as number),
  );
  return order.map((position) => unique[position] as string);
}
