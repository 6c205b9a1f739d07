// The example of packages/assignor/README.md, kept here so it keeps compiling and working.
import { describe, expect, it } from 'vitest';
import { assignorConfig, decodeAssignmentInfo, encodeSubscriptionInfo, LATEST_OFFSET, planGroupAssignment } from './index.js';

describe('The assignor README example', () => {
  it('keeps the tasks with their caught-up owner and warms up the new member', () => {
    const subscription = (processId: string, owned: string[]) =>
      encodeSubscriptionInfo({
        processId,
        userEndpoint: 'localhost:8080',
        taskOffsetSums: new Map(owned.map((task): [string, number] => [task, LATEST_OFFSET])),
        ownedActiveTasks: owned,
        ownedStandbyTasks: [],
        clientTags: { zone: 'eu-1a' },
      });

    const plan = planGroupAssignment({
      members: [
        { memberId: 'member-1', userData: subscription('8b3f5a52-3e7e-4b8f-a8f8-2c1f0c7e4d11', ['0_0', '0_1']) },
        { memberId: 'member-2', userData: subscription('c4a0d2e9-5b6f-4c1a-9e3d-7f2b8a6c5e22', []) },
      ],
      topicGroups: new Map([[0, ['orders', 'customers']]]),
      partitionCounts: new Map([['orders', 2], ['customers', 2]]),
      statefulSubtopologies: new Set([0]),
      changelogEndOffsetSums: new Map([['0_0', 250_000], ['0_1', 250_000]]),
      config: assignorConfig({ numStandbyReplicas: 1 }),
      nowMs: 1_000,
    });

    const forMember2 = plan.members.get('member-2');
    const info = decodeAssignmentInfo(forMember2?.userData as Uint8Array);
    expect(forMember2?.partitions).toEqual([]);
    expect(info.standbyTasks.map((task) => task.taskId)).toEqual(['0_0', '0_1']);
    expect(plan.assignment?.processes.get('c4a0d2e9-5b6f-4c1a-9e3d-7f2b8a6c5e22')?.warmupTasks).toHaveLength(1);
    expect(info.nextProbingRebalanceMs).toBe(601_000);
  });
});
