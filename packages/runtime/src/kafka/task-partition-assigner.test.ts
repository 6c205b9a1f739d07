import { AssignerProtocol, type Cluster, type GroupMember } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { taskPartitionAssigner } from './task-partition-assigner.js';

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

  it('announces the owned tasks in its subscription metadata', () => {
    const metadata = AssignerProtocol.MemberMetadata.decode(member('m1', ['0_1']).memberMetadata);
    expect(JSON.parse(metadata!.userData.toString())).toEqual({ ownedTasks: ['0_1'] });
  });
});
