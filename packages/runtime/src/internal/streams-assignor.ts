import {
  AssignorErrorCode,
  LATEST_OFFSET,
  TaskAssignmentError,
  assignorConfig,
  LATEST_SUPPORTED_VERSION,
  decodeAssignmentInfo,
  emptyAssignmentInfo,
  encodeAssignmentInfo,
  encodeSubscriptionInfo,
  planGroupAssignment,
  type AssignmentInfo,
  type AssignorConfig,
} from '@kstreams/assignor';
import type { TopologyModel } from '@kstreams/core';
import type { Logger } from './engine-ports.js';
import type { ClusterTopics, GroupMemberAssignment, GroupMemberSubscription, TopicPartition } from '../kafka/kafka-client.js';
import { changelogTopicName } from '../internal-topics.js';
import { wholeMatch } from '../task-manager.js';
import { loggedStoresOf } from '../task-state-directory.js';

/** What one member tells the leader about itself. */
export interface MemberState {
  readonly processId: string;
  readonly userEndpoint: string | undefined;
  readonly activeTasks: readonly string[];
  /** Active tasks that run (caught up); restoring ones report their offset sums instead. */
  readonly runningTasks: readonly string[];
  readonly standbyTasks: readonly string[];
  /** Changelog offset sums of task state on disk (checkpointed) or in memory (restoring, standby), by task id. */
  readonly tasksOnDisk: ReadonlyMap<string, number>;
  readonly clientTags: Readonly<Record<string, string>>;
}

/** What the runtime needs of an assignment the member received. */
export interface DecodedAssignment {
  readonly activeTasks: readonly string[];
  /** Standby tasks, warm-up replicas included. */
  readonly standbyTasks: readonly string[];
  readonly errorCode: number;
  readonly nextProbingRebalanceMs: number | undefined;
  readonly partitionsByHost: ReadonlyMap<string, readonly TopicPartition[]>;
  readonly standbyPartitionsByHost: ReadonlyMap<string, readonly TopicPartition[]>;
}

/** Options of {@link StreamsAssignor}. */
export interface StreamsAssignorOptions {
  readonly model: TopologyModel;
  readonly applicationId: string;
  readonly config: Partial<AssignorConfig>;
  readonly cooperative: boolean;
  /** read_committed end offsets of changelog partitions, by `<topic>-<partition>`. */
  readonly changelogEndOffsets: (partitions: readonly TopicPartition[]) => Promise<ReadonlyMap<string, number>>;
  readonly logger: Logger;
}

/**
 * The runtime's adapter over `@kstreams/assignor` (Kafka Streams' StreamsPartitionAssignor):
 * members send versioned binary subscription info (process, task offset sums, endpoint, tags);
 * the leader resolves sub-topologies to topics (patterns against the cluster's topics), reads
 * the changelogs' end offsets for task lags, and plans the assignment (sticky, lag-aware,
 * warm-ups, standbys, host maps, probing rebalances).
 */
export class StreamsAssignor {
  readonly #options: StreamsAssignorOptions;
  readonly #config: AssignorConfig;

  constructor(options: StreamsAssignorOptions) {
    this.#options = options;
    this.#config = assignorConfig(options.config);
  }

  /** The user data of a member's JoinGroup. */
  subscriptionUserData(state: MemberState): Uint8Array {
    const sums = new Map<string, number>(state.tasksOnDisk);
    for (const task of state.runningTasks) sums.set(task, LATEST_OFFSET);
    for (const [task] of sums) if (!this.#isStateful(task)) sums.delete(task);
    return encodeSubscriptionInfo({
      processId: state.processId,
      userEndpoint: state.userEndpoint,
      taskOffsetSums: sums,
      ownedActiveTasks: [...state.activeTasks],
      ownedStandbyTasks: [...state.standbyTasks],
      clientTags: state.clientTags,
    });
  }

  /** The leader's assignment of every member. */
  async assign(members: readonly { memberId: string; subscription: GroupMemberSubscription }[], cluster: ClusterTopics): Promise<Map<string, GroupMemberAssignment>> {
    const topicGroups = new Map<number, string[]>();
    const partitionCounts = new Map<string, number>();
    for (const subtopology of this.#options.model.subtopologies) {
      const matched = cluster.topics.filter((topic) => subtopology.sourcePatterns.some((pattern) => wholeMatch(pattern, topic)));
      const topics = [...new Set([...subtopology.sourceTopics, ...matched])].filter((topic) => cluster.partitionCount(topic) > 0).sort();
      if (topics.length === 0) continue;
      topicGroups.set(subtopology.id, topics);
      for (const topic of topics) partitionCounts.set(topic, cluster.partitionCount(topic));
    }
    const stateful = new Set(this.#options.model.subtopologies.filter((subtopology) => this.#loggedStores(subtopology.id).length > 0).map((subtopology) => subtopology.id));
    try {
      const plan = planGroupAssignment({
        members: members.map(({ memberId, subscription }) => ({ memberId, userData: subscription.userData })),
        topicGroups,
        partitionCounts,
        statefulSubtopologies: stateful,
        changelogEndOffsetSums: await this.#endOffsetSums(topicGroups, partitionCounts, stateful),
        config: this.#config,
        nowMs: Date.now(),
        cooperative: this.#options.cooperative,
      });
      if (plan.heldBackTasks.length > 0) this.#options.logger.info(`Holding back tasks [${plan.heldBackTasks.join(', ')}] for one round: their current owners revoke them first.`);
      return new Map([...plan.members].map(([memberId, member]) => [memberId, { partitions: member.partitions, userData: member.userData }]));
    } catch (error) {
      if (!(error instanceof TaskAssignmentError)) throw error;
      // As Kafka Streams: every member gets the error code and stops (the leader logs why).
      this.#options.logger.error(`The assignment failed: ${error.message} Every instance of the group stops.`);
      const userData = encodeAssignmentInfo(emptyAssignmentInfo(LATEST_SUPPORTED_VERSION, LATEST_SUPPORTED_VERSION, AssignorErrorCode.INCOMPLETE_SOURCE_TOPIC_METADATA));
      return new Map(members.map(({ memberId }) => [memberId, { partitions: [], userData }]));
    }
  }

  /** Reads the tasks, standbys, host map and probing time out of a received assignment. */
  decode(userData: Uint8Array): DecodedAssignment {
    if (userData.length === 0) return { activeTasks: [], standbyTasks: [], errorCode: AssignorErrorCode.NONE, nextProbingRebalanceMs: undefined, partitionsByHost: new Map(), standbyPartitionsByHost: new Map() };
    const info: AssignmentInfo = decodeAssignmentInfo(userData);
    return {
      activeTasks: info.activeTasks.map((task) => task.taskId),
      standbyTasks: info.standbyTasks.map((task) => task.taskId),
      errorCode: info.errorCode,
      nextProbingRebalanceMs: info.nextProbingRebalanceMs,
      partitionsByHost: info.partitionsByHost,
      standbyPartitionsByHost: info.standbyPartitionsByHost,
    };
  }

  #isStateful(taskId: string): boolean {
    return this.#loggedStores(Number(taskId.split('_')[0])).length > 0;
  }

  #loggedStores(subtopologyId: number): string[] {
    return loggedStoresOf(this.#options.model, subtopologyId, 0, this.#options.applicationId).map((spec) => spec.storeName);
  }

  /** Per stateful task: the sum of its changelog partitions' end offsets (what "caught up" means). */
  async #endOffsetSums(topicGroups: ReadonlyMap<number, readonly string[]>, partitionCounts: ReadonlyMap<string, number>, stateful: ReadonlySet<number>): Promise<Map<string, number>> {
    const partitionsOfTask = new Map<string, TopicPartition[]>();
    for (const [subtopologyId, topics] of topicGroups) {
      if (!stateful.has(subtopologyId)) continue;
      const count = Math.max(...topics.map((topic) => partitionCounts.get(topic) ?? 0));
      const stores = this.#loggedStores(subtopologyId);
      for (let partition = 0; partition < count; partition++) {
        partitionsOfTask.set(`${subtopologyId}_${partition}`, stores.map((store) => ({ topic: changelogTopicName(this.#options.applicationId, store), partition })));
      }
    }
    const ends = await this.#options.changelogEndOffsets([...partitionsOfTask.values()].flat());
    const sums = new Map<string, number>();
    for (const [task, partitions] of partitionsOfTask) sums.set(task, partitions.reduce((sum, { topic, partition }) => sum + (ends.get(`${topic}-${partition}`) ?? 0), 0));
    return sums;
  }
}
