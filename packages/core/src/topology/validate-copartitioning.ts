import { TopologyError } from '../errors/streams-error.js';
import type { TopologyModel } from './topology-model.js';

/**
 * Checks that the source topics of every sub-topology have the same number of partitions: a
 * task is one partition index of a sub-topology, so its inputs must be co-partitioned. The
 * runtime calls this once it knows the partition counts. Throws a `TopologyError` naming the
 * topics and their counts, or a source topic whose count is unknown.
 *
 * @example
 * validateCopartitioning(model, new Map([['orders', 6], ['customers', 6]]));
 */
export function validateCopartitioning(
  model: TopologyModel,
  partitionCountByTopic: ReadonlyMap<string, number>,
): void {
  for (const subtopology of model.subtopologies) {
    const counts = subtopology.sourceTopics.map((topic) => {
      const count = partitionCountByTopic.get(topic);
      if (count === undefined) {
        throw new TopologyError(
          `Source topic "${topic}" of sub-topology ${subtopology.id} has no known partition count: create the topic before starting the application.`,
        );
      }
      return { topic, count };
    });
    const distinct = new Set(counts.map((entry) => entry.count));
    if (distinct.size > 1) {
      const listed = counts.map((entry) => `"${entry.topic}" (${entry.count})`).join(', ');
      throw new TopologyError(
        `Source topics of sub-topology ${subtopology.id} are not co-partitioned: ${listed}. ` +
          'Give them the same number of partitions, or split them into separate sub-topologies.',
      );
    }
  }
}
