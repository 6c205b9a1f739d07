import { AssignerProtocol, type Assigner, type GroupMember, type PartitionAssigner } from 'kafkajs';
import { assignStandbys } from './assign-standbys.js';
import { assignTasks } from './assign-tasks.js';

/** The protocol name members agree on; bump the version when the userData format changes. */
export const TASK_ASSIGNER_NAME = 'KStreamsTaskAssigner';
const VERSION = 0;

/** Options of {@link taskPartitionAssigner}. */
export interface TaskPartitionAssignerOptions {
  /**
   * Source topics per sub-topology, index = sub-topology id. Partition N of every topic of one
   * group is one task (`<group>_<N>`) and goes to one member. Subscribed topics in no group form
   * one extra group. Default: all subscribed topics are one group.
   */
  readonly topicGroups?: readonly (readonly string[])[];
  /** Tasks this member owns now; sent at every join so the leader can keep them in place. */
  readonly ownedTasks?: () => readonly string[];
  /** Standby tasks this member keeps now; a task that moves goes preferably to one of them. */
  readonly standbyTasks?: () => readonly string[];
  /** The instance this member runs in (default: the member itself). */
  readonly processId?: string;
  /** Standby copies per stateful task, on other instances (default 0). */
  readonly numStandbyReplicas?: number;
  /** Sub-topology ids whose tasks have logged stores (default: none, so no standbys). */
  readonly statefulSubtopologies?: readonly number[];
}

interface MemberUserData {
  readonly ownedTasks: readonly string[];
  readonly standbyTasks?: readonly string[];
  readonly processId?: string;
}

/** The user data of a member's assignment: what the leader decided beyond partitions. */
export interface TaskAssignmentUserData {
  readonly standbyTasks: readonly string[];
}

/** Reads the standby tasks out of an encoded member assignment (empty when there are none). */
export function decodeStandbyTasks(memberAssignment: Buffer): string[] {
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(memberAssignment);
    const userData = JSON.parse(decoded?.userData?.toString() || '{}') as Partial<TaskAssignmentUserData>;
    return Array.isArray(userData.standbyTasks) ? userData.standbyTasks.filter((task) => typeof task === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * A kafkajs partition assigner (`partition.assignment.strategy`) that keeps the partitions of one
 * task together: partition N of all source topics of a sub-topology lands on the same member,
 * so a task always has all its input partitions. Tasks are spread evenly and stay with their
 * previous owner where balance allows.
 *
 * @example
 * kafka.consumer({ groupId, partitionAssigners: [taskPartitionAssigner({ topicGroups: [['left', 'right']] })] });
 */
export function taskPartitionAssigner(options: TaskPartitionAssignerOptions = {}): PartitionAssigner {
  return ({ cluster }): Assigner => ({
    name: TASK_ASSIGNER_NAME,
    version: VERSION,

    async assign({ members, topics }) {
      const groups = topicGroupsFor(options.topicGroups ?? [], topics);
      const partitionCount = (topic: string): number => cluster.findTopicPartitionMetadata(topic).length;
      const tasks = groups.flatMap((groupTopics, group) => {
        const count = Math.max(0, ...groupTopics.map(partitionCount));
        return Array.from({ length: count }, (_, partition) => `${group}_${partition}`);
      });
      const decoded = members.map(decodeMember);
      const byMember = assignTasks(decoded, sortByPartition(tasks));
      const stateful = new Set(options.statefulSubtopologies ?? []);
      const statefulTasks = sortByPartition(tasks.filter((task) => stateful.has(Number(task.split('_')[0]))));
      const standbys = assignStandbys(decoded, byMember, statefulTasks, options.numStandbyReplicas ?? 0);
      return [...byMember].map(([memberId, memberTasks]) => {
        const userData: TaskAssignmentUserData = { standbyTasks: standbys.get(memberId) ?? [] };
        return {
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: VERSION,
            assignment: partitionsOf(memberTasks, groups, partitionCount),
            userData: Buffer.from(JSON.stringify(userData)),
          }),
        };
      });
    },

    protocol({ topics }) {
      const userData: MemberUserData = {
        ownedTasks: options.ownedTasks?.() ?? [],
        ...(options.standbyTasks === undefined ? {} : { standbyTasks: options.standbyTasks() }),
        ...(options.processId === undefined ? {} : { processId: options.processId }),
      };
      return {
        name: TASK_ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.from(JSON.stringify(userData)) }),
      };
    },
  });
}

/** The configured groups restricted to subscribed topics, plus one group for the rest. */
function topicGroupsFor(configured: readonly (readonly string[])[], subscribed: readonly string[]): string[][] {
  const subscribedSet = new Set(subscribed);
  const groups = configured.map((group) => group.filter((topic) => subscribedSet.has(topic)));
  const grouped = new Set(groups.flat());
  const rest = subscribed.filter((topic) => !grouped.has(topic)).sort();
  if (rest.length > 0) groups.push(rest);
  return groups;
}

/** Orders tasks partition-first (0_0, 1_0, 0_1, ...) so each member gets a mix of sub-topologies. */
function sortByPartition(tasks: string[]): string[] {
  const parse = (task: string): [number, number] => task.split('_').map(Number) as [number, number];
  return tasks.sort((left, right) => {
    const [leftGroup, leftPartition] = parse(left);
    const [rightGroup, rightPartition] = parse(right);
    return leftPartition - rightPartition || leftGroup - rightGroup;
  });
}

function partitionsOf(tasks: readonly string[], groups: readonly string[][], partitionCount: (topic: string) => number): { [topic: string]: number[] } {
  const assignment: { [topic: string]: number[] } = {};
  for (const task of tasks) {
    const [group, partition] = task.split('_').map(Number) as [number, number];
    for (const topic of groups[group] ?? []) {
      if (partition >= partitionCount(topic)) continue;
      (assignment[topic] ??= []).push(partition);
    }
  }
  return assignment;
}

interface DecodedMember {
  readonly memberId: string;
  readonly processId: string;
  readonly ownedTasks: readonly string[];
  readonly standbyTasks: readonly string[];
}

function decodeMember(member: GroupMember): DecodedMember {
  const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((task): task is string => typeof task === 'string') : []);
  try {
    const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
    const userData = JSON.parse(metadata?.userData?.toString() || '{}') as Partial<MemberUserData>;
    const processId = typeof userData.processId === 'string' ? userData.processId : member.memberId;
    return { memberId: member.memberId, processId, ownedTasks: texts(userData.ownedTasks), standbyTasks: texts(userData.standbyTasks) };
  } catch {
    // A member with unreadable metadata simply has no stickiness hint.
    return { memberId: member.memberId, processId: member.memberId, ownedTasks: [], standbyTasks: [] };
  }
}
