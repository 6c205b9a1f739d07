/** A task: one partition index of one sub-topology. Prints as `<subtopology>_<partition>`. */
export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
}

/** Formats a task id as Kafka Streams does: `0_3`. */
export function formatTaskId(taskId: TaskId): string {
  return `${taskId.subtopology}_${taskId.partition}`;
}

/** Parses `0_3` back into a task id; throws a `RangeError` on anything else. */
export function parseTaskId(text: string): TaskId {
  const match = /^(\d+)_(\d+)$/.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a task id; expected <subtopology>_<partition>, e.g. 0_3.`);
  return { subtopology: Number(match[1]), partition: Number(match[2]) };
}
