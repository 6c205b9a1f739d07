import { AssignerProtocol, type Cluster, type GroupMember } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { decodeStandbyTasks, taskPartitionAssigner } from './task-partition-assigner.js';

const partitionCounts: { [topic: string]: number } = { left: 4, right: 4, other: 2 };

const cluster = {
  findTopicPartitionMetadata: (topic: string) =>
    Array.from({ length: partitionCounts[topic] ?? 0 }, (_, partitionId) => ({ partitionId })),
} as unknown as Cluster;

function member(memberId: string, ownedTasks: string[] = []): GroupMember {
  const assigner = taskPartitionAssigner({ ownedTasks: () => ownedTasks })({ cluster, groupId: 'g', logger: undefined as never });
  return { memberId, memberMetadata: assigner.protocol({ topics: ['left', 'right', 'other'] }).metadata };
}

async function assign(members: GroupMember[], topicGroups: string[][]): Promise<Map<string, { [topic: string]: number[] }>> {
  const assigner = taskPartitionAssigner({ topicGroups })({ cluster, groupId: 'g', logger: undefined as never });
  const result = await assigner.assign({ members, topics: ['left', 'right', 'other'] });
  return new Map(result.map(({ memberId, memberAssignment }) => [memberId, AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment]));
}

describe('taskPartitionAssigner', () => {
  it('puts partition N of co-partitioned topics on the same member', async () => {
    const assignment = await assign([member('m1'), member('m2')], [['left', 'right'], ['other']]);
    for (const topics of assignment.values()) expect(topics['left']).toEqual(topics['right']);
    const allLeft = [...assignment.values()].flatMap((topics) => topics['left'] ?? []).sort();
    expect(allLeft).toEqual([0, 1, 2, 3]);
    const allOther = [...assignment.values()].flatMap((topics) => topics['other'] ?? []).sort();
    expect(allOther).toEqual([0, 1]);
  });

  it('balances tasks across members', async () => {
    const assignment = await assign([member('m1'), member('m2')], [['left', 'right'], ['other']]);
    const taskCounts = [...assignment.values()].map((topics) => (topics['left']?.length ?? 0) + (topics['other']?.length ?? 0));
    expect(taskCounts).toEqual([3, 3]);
  });

  it('keeps a member\'s previous tasks when it rejoins', async () => {
    const assignment = await assign([member('m1', ['0_2', '0_3']), member('m2', ['0_0', '0_1'])], [['left', 'right']]);
    expect(assignment.get('m1')?.['left']).toEqual([2, 3]);
    expect(assignment.get('m2')?.['left']).toEqual([0, 1]);
  });

  it('groups subscribed topics that belong to no configured group together', async () => {
    const assignment = await assign([member('m1')], []);
    expect(assignment.get('m1')).toEqual({ left: [0, 1, 2, 3], other: [0, 1], right: [0, 1, 2, 3] });
  });

  it('hands each member standby tasks of another instance in its assignment user data', async () => {
    const processMember = (memberId: string, processId: string, standbyTasks: string[] = []): GroupMember => {
      const assigner = taskPartitionAssigner({ processId, standbyTasks: () => standbyTasks })({ cluster, groupId: 'g', logger: undefined as never });
      return { memberId, memberMetadata: assigner.protocol({ topics: ['left', 'right'] }).metadata };
    };
    const leader = taskPartitionAssigner({ topicGroups: [['left', 'right']], numStandbyReplicas: 1, statefulSubtopologies: [0] })({ cluster, groupId: 'g', logger: undefined as never });
    const result = await leader.assign({ members: [processMember('m1', 'A'), processMember('m2', 'B')], topics: ['left', 'right'] });
    const byMember = new Map(result.map(({ memberId, memberAssignment }) => [memberId, { active: AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment['left'], standbys: decodeStandbyTasks(memberAssignment) }]));
    const tasksOf = (partitions: number[] | undefined): string[] => (partitions ?? []).map((partition) => `0_${partition}`);
    expect(byMember.get('m1')?.standbys).toEqual(tasksOf(byMember.get('m2')?.active));
    expect(byMember.get('m2')?.standbys).toEqual(tasksOf(byMember.get('m1')?.active));
    expect(byMember.get('m1')?.standbys).toHaveLength(2);
  });

  it('moves a task preferably to the member that kept it as a standby', async () => {
    const assigner = (owned: string[], standbys: string[]): GroupMember['memberMetadata'] =>
      taskPartitionAssigner({ ownedTasks: () => owned, standbyTasks: () => standbys })({ cluster, groupId: 'g', logger: undefined as never }).protocol({ topics: ['left'] }).metadata;
    const leader = taskPartitionAssigner({ topicGroups: [['left']] })({ cluster, groupId: 'g', logger: undefined as never });
    const members = [
      { memberId: 'm1', memberMetadata: assigner(['0_0'], []) },
      { memberId: 'm2', memberMetadata: assigner(['0_1'], ['0_3']) },
      { memberId: 'm3', memberMetadata: assigner([], ['0_2']) },
    ];
    const result = await leader.assign({ members, topics: ['left'] });
    const left = new Map(result.map(({ memberId, memberAssignment }) => [memberId, AssignerProtocol.MemberAssignment.decode(memberAssignment)!.assignment['left']]));
    expect(left.get('m1')).toEqual([0]);
    expect(left.get('m2')).toEqual([1, 3]);
    expect(left.get('m3')).toEqual([2]);
  });

  it('announces the owned tasks in its subscription metadata', () => {
    const metadata = AssignerProtocol.MemberMetadata.decode(member('m1', ['0_1']).memberMetadata);
    expect(JSON.parse(metadata!.userData.toString())).toEqual({ ownedTasks: ['0_1'] });
  });
});
