import { assignTasks, type TaskAssignment } from './assign-tasks.js';
import { encodeAssignmentInfo, emptyAssignmentInfo, type AssignmentInfo, type TaskPartitions } from './assignment-info.js';
import type { AssignorConfig } from './assignor-config.js';
import type { MemberState, ProcessState } from './assignment-input.js';
import { AssignorErrorCode } from './protocol-versions.js';
import { decodeSubscriptionInfo, type DecodedSubscriptionInfo, type SubscriptionInfo } from './subscription-info.js';
import { parseTaskId } from './task-id.js';
import { LATEST_OFFSET } from './task-lags.js';
import { partitionsOfTasks, tasksForTopicGroups, type TopicGroups } from './task-partitions.js';
import type { TopicPartition } from './topic-partition.js';
import { negotiateVersions, type VersionNegotiation } from './version-probing.js';

/** What the group leader knows when it must assign (everything Kafka-specific resolved already). */
export interface GroupAssignmentRequest {
  /** Every member of the group with the user data of its subscription. */
  readonly members: readonly { readonly memberId: string; readonly userData: Uint8Array }[];
  readonly topicGroups: TopicGroups;
  /** Partition count of every source topic. */
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** Sub-topologies whose tasks have state (logged stores). */
  readonly statefulSubtopologies: ReadonlySet<number>;
  /** Per stateful task: the sum of its changelog partitions' end offsets. */
  readonly changelogEndOffsetSums: ReadonlyMap<string, number>;
  readonly config: AssignorConfig;
  /** The leader's wall clock (ms), to schedule the probing rebalance. */
  readonly nowMs: number;
  /**
   * Cooperative rebalancing (KIP-429): a task another member still owns is handed to nobody in
   * this round; its owner revokes it (it is not in its assignment) and rejoins, and the next
   * round hands it over. Default false (eager: every member gave up its tasks before joining).
   */
  readonly cooperative?: boolean;
}

/** One member's part of the plan: the partitions to hand it and the user data that goes with them. */
export interface MemberPlan {
  readonly memberId: string;
  /** Input partitions of its active tasks (the consumer-protocol assignment). */
  readonly partitions: readonly TopicPartition[];
  readonly info: AssignmentInfo;
  /** `info` encoded: the user data of the member's assignment. */
  readonly userData: Uint8Array;
}

/** The leader's complete answer to one rebalance. */
export interface GroupAssignmentPlan {
  readonly members: ReadonlyMap<string, MemberPlan>;
  readonly negotiation: VersionNegotiation;
  /** The task assignment, or undefined under version probing or a requested shutdown. */
  readonly assignment: TaskAssignment | undefined;
  /** Cooperative only: tasks held back this round because another member still owns them. */
  readonly heldBackTasks: readonly string[];
}

/**
 * The leader side of a rebalance in one call: decodes every member's subscription, negotiates the
 * version, computes the tasks from the topic groups, assigns them ({@link assignTasks}) and builds
 * each member's assignment info with the partition → host maps. Under version probing every
 * member keeps what it owned, with error code `VERSION_PROBING`; if any member asked for a
 * shutdown, every member gets `SHUTDOWN_REQUESTED` and no tasks. With `cooperative`, a task
 * moving between members is held back for one round (see {@link GroupAssignmentRequest.cooperative}).
 *
 * @throws TaskAssignmentError for undecodable subscriptions or topics that are not co-partitioned.
 */
export function planGroupAssignment(request: GroupAssignmentRequest): GroupAssignmentPlan {
  const decoded = request.members.map((member) => ({ memberId: member.memberId, subscription: decodeSubscriptionInfo(member.userData) }));
  const negotiation = negotiateVersions(decoded.map((member) => member.subscription));
  const builder = new MemberPlanBuilder(negotiation, tasksForTopicGroups(request.topicGroups, request.partitionCounts));
  const known = decoded.flatMap((member) => (member.subscription.supported ? [{ memberId: member.memberId, subscription: member.subscription }] : []));
  if (known.some((member) => member.subscription.errorCode === AssignorErrorCode.SHUTDOWN_REQUESTED)) {
    const members = new Map(decoded.map(({ memberId }) => [memberId, builder.build(memberId, builder.empty(AssignorErrorCode.SHUTDOWN_REQUESTED))]));
    return { members, negotiation, assignment: undefined, heldBackTasks: [] };
  }
  if (negotiation.versionProbing) return { members: keepOwnedTasks(builder, decoded), negotiation, assignment: undefined, heldBackTasks: [] };
  const processes = groupByProcess(known);
  const assignment = assignTasks({ processes: processes.states, ...builder.splitTasks(request.statefulSubtopologies), changelogEndOffsetSums: request.changelogEndOffsetSums, config: request.config });
  const hosts = hostMaps(assignment, processes.endpoints, builder.taskPartitions);
  const nextProbingRebalanceMs = assignment.probingRebalanceNeeded ? request.nowMs + request.config.probingRebalanceIntervalMs : undefined;
  const ownedElsewhere = request.cooperative === true ? ownersOf(known) : new Map<string, string>();
  const heldBackTasks: string[] = [];
  const members = new Map<string, MemberPlan>();
  for (const [memberId, member] of assignment.members) {
    const activeTasks = member.activeTasks.filter((task) => (ownedElsewhere.get(task) ?? memberId) === memberId);
    heldBackTasks.push(...member.activeTasks.filter((task) => !activeTasks.includes(task)));
    const info = { ...hosts, errorCode: AssignorErrorCode.NONE, nextProbingRebalanceMs };
    members.set(memberId, builder.build(memberId, { ...info, activeTasks: builder.withPartitions(activeTasks), standbyTasks: builder.withPartitions(member.standbyTasks) }));
  }
  return { members, negotiation, assignment, heldBackTasks: heldBackTasks.sort() };
}

/** Task → the member that owned it as active before this rebalance. */
function ownersOf(members: readonly { memberId: string; subscription: SubscriptionInfo }[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { memberId, subscription } of members) for (const task of subscription.ownedActiveTasks) if (!owners.has(task)) owners.set(task, memberId);
  return owners;
}

/** Version probing: every member keeps the tasks it owned (a task claimed twice goes to the first), nothing moves. */
function keepOwnedTasks(builder: MemberPlanBuilder, decoded: readonly { memberId: string; subscription: DecodedSubscriptionInfo }[]): Map<string, MemberPlan> {
  const claimed = new Set<string>();
  const members = new Map<string, MemberPlan>();
  for (const { memberId, subscription } of decoded) {
    const owned = subscription.supported ? subscription.ownedActiveTasks.filter((task) => !claimed.has(task)) : [];
    owned.forEach((task) => claimed.add(task));
    const standbys = subscription.supported ? subscription.ownedStandbyTasks : [];
    const info = { ...builder.empty(AssignorErrorCode.VERSION_PROBING), activeTasks: builder.withPartitions(owned), standbyTasks: builder.withPartitions(standbys) };
    members.set(memberId, builder.build(memberId, info));
  }
  return members;
}

/** Builds members' plans in the negotiated version, with the topology's task partitions. */
class MemberPlanBuilder {
  constructor(
    private readonly negotiation: VersionNegotiation,
    readonly taskPartitions: ReadonlyMap<string, readonly TopicPartition[]>,
  ) {}

  /** The plan of one member; `version` and `commonlySupportedVersion` come from the negotiation. */
  build(memberId: string, info: Omit<AssignmentInfo, 'version' | 'commonlySupportedVersion'>): MemberPlan {
    const full: AssignmentInfo = { ...info, version: this.negotiation.usedVersion, commonlySupportedVersion: this.negotiation.commonlySupportedVersion };
    return { memberId, partitions: full.activeTasks.flatMap((task) => task.partitions), info: full, userData: encodeAssignmentInfo(full) };
  }

  empty(errorCode: number): AssignmentInfo {
    return emptyAssignmentInfo(this.negotiation.usedVersion, this.negotiation.commonlySupportedVersion, errorCode);
  }

  /** The tasks with their partitions (tasks the topology does not have are dropped). */
  withPartitions(tasks: readonly string[]): TaskPartitions[] {
    return tasks.flatMap((taskId) => {
      const partitions = this.taskPartitions.get(taskId);
      return partitions === undefined ? [] : [{ taskId, partitions }];
    });
  }

  splitTasks(statefulSubtopologies: ReadonlySet<number>): { statefulTasks: string[]; statelessTasks: string[] } {
    const tasks = [...this.taskPartitions.keys()];
    const isStateful = (task: string): boolean => statefulSubtopologies.has(parseTaskId(task).subtopology);
    return { statefulTasks: tasks.filter(isStateful), statelessTasks: tasks.filter((task) => !isStateful(task)) };
  }
}

/** Members grouped into processes: union of offset sums (a running active wins), tags, endpoint. */
function groupByProcess(members: readonly { memberId: string; subscription: SubscriptionInfo }[]): { states: ProcessState[]; endpoints: Map<string, string> } {
  const grouped = new Map<string, { members: MemberState[]; offsetSums: Map<string, number>; tags: Record<string, string> }>();
  const endpoints = new Map<string, string>();
  for (const { memberId, subscription } of members) {
    const entry = grouped.get(subscription.processId) ?? { members: [], offsetSums: new Map<string, number>(), tags: {} };
    grouped.set(subscription.processId, entry);
    entry.members.push({ memberId, ownedActiveTasks: subscription.ownedActiveTasks, ownedStandbyTasks: subscription.ownedStandbyTasks });
    for (const [task, offsetSum] of subscription.taskOffsetSums) {
      const current = entry.offsetSums.get(task);
      if (current === undefined || offsetSum === LATEST_OFFSET || (current !== LATEST_OFFSET && offsetSum > current)) entry.offsetSums.set(task, offsetSum);
    }
    Object.assign(entry.tags, subscription.clientTags);
    if (subscription.userEndpoint !== undefined) endpoints.set(subscription.processId, subscription.userEndpoint);
  }
  const states = [...grouped].map(([processId, entry]) => ({ processId, members: entry.members, taskOffsetSums: entry.offsetSums, clientTags: entry.tags }));
  return { states, endpoints };
}

function hostMaps(
  assignment: TaskAssignment,
  endpoints: ReadonlyMap<string, string>,
  taskPartitions: ReadonlyMap<string, readonly TopicPartition[]>,
): Pick<AssignmentInfo, 'partitionsByHost' | 'standbyPartitionsByHost'> {
  const partitionsByHost = new Map<string, TopicPartition[]>();
  const standbyPartitionsByHost = new Map<string, TopicPartition[]>();
  for (const [processId, process] of assignment.processes) {
    const endpoint = endpoints.get(processId);
    if (endpoint === undefined) continue;
    partitionsByHost.set(endpoint, partitionsOfTasks(process.activeTasks, taskPartitions));
    standbyPartitionsByHost.set(endpoint, partitionsOfTasks([...process.standbyTasks, ...process.warmupTasks], taskPartitions));
  }
  return { partitionsByHost, standbyPartitionsByHost };
}
