import { TaskAssignmentError } from './assignment-error.js';
import { formatTaskId } from './task-id.js';
import { compareTopicPartitions, type TopicPartition } from './topic-partition.js';

/** Sub-topology id → its source topics (the topology's topic groups). */
export type TopicGroups = ReadonlyMap<number, readonly string[]>;

/**
 * The tasks of a topology and the input partitions of each: partition N of every source topic of
 * sub-topology S belongs to task `S_N`, so co-partitioned partitions always go together.
 *
 * @param partitionCounts the partition count of every source topic.
 * @throws TaskAssignmentError when a source topic's partition count is unknown, or when the
 * source topics of one sub-topology have different partition counts (not co-partitioned).
 */
export function tasksForTopicGroups(topicGroups: TopicGroups, partitionCounts: ReadonlyMap<string, number>): Map<string, TopicPartition[]> {
  const tasks = new Map<string, TopicPartition[]>();
  const subtopologies = [...topicGroups.keys()].sort((left, right) => left - right);
  for (const subtopology of subtopologies) {
    const topics = [...(topicGroups.get(subtopology) ?? [])].sort();
    const count = commonPartitionCount(subtopology, topics, partitionCounts);
    for (let partition = 0; partition < count; partition++) {
      tasks.set(formatTaskId(subtopology, partition), topics.map((topic) => ({ topic, partition })));
    }
  }
  return tasks;
}

/** All input partitions of `taskIds`, sorted by topic and partition (tasks unknown to the map add none). */
export function partitionsOfTasks(taskIds: Iterable<string>, taskPartitions: ReadonlyMap<string, readonly TopicPartition[]>): TopicPartition[] {
  const partitions: TopicPartition[] = [];
  for (const taskId of taskIds) partitions.push(...(taskPartitions.get(taskId) ?? []));
  return partitions.sort(compareTopicPartitions);
}

function commonPartitionCount(subtopology: number, topics: readonly string[], partitionCounts: ReadonlyMap<string, number>): number {
  let common: number | undefined;
  for (const topic of topics) {
    const count = partitionCounts.get(topic);
    if (count === undefined) {
      throw new TaskAssignmentError(`Source topic "${topic}" of sub-topology ${subtopology} has no partition metadata: create the topic before starting the application.`);
    }
    if (common !== undefined && count !== common) {
      const counts = topics.map((name) => `${name}: ${partitionCounts.get(name)}`).join(', ');
      throw new TaskAssignmentError(
        `The source topics of sub-topology ${subtopology} are not co-partitioned (${counts}): give them the same number of partitions.`,
      );
    }
    common = count;
  }
  return common ?? 0;
}
