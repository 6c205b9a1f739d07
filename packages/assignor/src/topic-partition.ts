/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Orders partitions by topic, then partition number. */
export function compareTopicPartitions(left: TopicPartition, right: TopicPartition): number {
  if (left.topic !== right.topic) return left.topic < right.topic ? -1 : 1;
  return left.partition - right.partition;
}
