import type { TopologyModel } from '@kstreams/core';
import type { ClusterTopics, GroupMemberAssignment, GroupMemberSubscription } from '../kafka/kafka-client.js';
import { assignGroupTasks, type AssignableSubtopology } from '../kafka/group/task-assignment.js';
import { wholeMatch } from '../task-manager.js';
import { loggedStoresOf } from '../task-state-directory.js';

/** The sub-topologies of a topology with their source topics resolved against the cluster's topics. */
export function assignableSubtopologies(model: TopologyModel, cluster: ClusterTopics): AssignableSubtopology[] {
  return model.subtopologies.map((subtopology) => {
    const matched = cluster.topics.filter((topic) => subtopology.sourcePatterns.some((pattern) => wholeMatch(pattern, topic)));
    const topics = [...new Set([...subtopology.sourceTopics, ...matched])].filter((topic) => cluster.partitionCount(topic) > 0).sort();
    return { id: subtopology.id, topics, stateful: loggedStoresOf(model, subtopology.id, 0, '').length > 0 };
  });
}

/** The group leader's assignment for a topology (Kafka Streams' StreamsPartitionAssignor role). */
export function streamsAssignor(model: TopologyModel, options: { numStandbyReplicas: number }) {
  return async (members: readonly { memberId: string; subscription: GroupMemberSubscription }[], cluster: ClusterTopics): Promise<Map<string, GroupMemberAssignment>> =>
    assignGroupTasks({
      members: members.map(({ memberId, subscription }) => ({ memberId, subscription: { ...subscription, version: 1 } })),
      subtopologies: assignableSubtopologies(model, cluster),
      partitionCount: (topic) => cluster.partitionCount(topic),
      numStandbyReplicas: options.numStandbyReplicas,
    });
}
