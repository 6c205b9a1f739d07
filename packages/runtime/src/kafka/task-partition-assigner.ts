import { AssignerProtocol, type Assigner, type GroupMember, type PartitionAssigner } from 'kafkajs';
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
}

interface MemberUserData {
  readonly ownedTasks: readonly string[];
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
      const byMember = assignTasks(members.map(decodeMember), sortByPartition(tasks));
      return [...byMember].map(([memberId, memberTasks]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          assignment: partitionsOf(memberTasks, groups, partitionCount),
          userData: Buffer.alloc(0),
        }),
      }));
    },

    protocol({ topics }) {
      const userData: MemberUserData = { ownedTasks: options.ownedTasks?.() ?? [] };
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

function decodeMember(member: GroupMember): { memberId: string; ownedTasks: readonly string[] } {
  try {
    const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
    const userData = JSON.parse(metadata?.userData?.toString() || '{}') as Partial<MemberUserData>;
    const ownedTasks = Array.isArray(userData.ownedTasks) ? userData.ownedTasks.filter((task) => typeof task === 'string') : [];
    return { memberId: member.memberId, ownedTasks };
  } catch {
    // A member with unreadable metadata simply has no stickiness hint.
    return { memberId: member.memberId, ownedTasks: [] };
  }
}
