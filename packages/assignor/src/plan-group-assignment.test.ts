import { describe, expect, it } from 'vitest';
import { decodeAssignmentInfo } from './assignment-info.js';
import { assignorConfig } from './assignor-config.js';
import { planGroupAssignment, type GroupAssignmentRequest } from './plan-group-assignment.js';
import { AssignorErrorCode, LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
import { encodeSubscriptionInfo, type SubscriptionInfoFields } from './subscription-info.js';
import { LATEST_OFFSET } from './task-lags.js';

const processA = 'aaaaaaaa-0000-0000-0000-000000000000';
const processB = 'bbbbbbbb-0000-0000-0000-000000000000';

function subscription(processId: string, fields: Partial<SubscriptionInfoFields> = {}, version?: number): Uint8Array {
  const base: SubscriptionInfoFields = { processId, userEndpoint: undefined, taskOffsetSums: new Map(), ownedActiveTasks: [], ownedStandbyTasks: [] };
  return encodeSubscriptionInfo({ ...base, ...fields }, version === undefined ? {} : { version });
}

function request(members: GroupAssignmentRequest['members']): GroupAssignmentRequest {
  return {
    members,
    topicGroups: new Map([
      [0, ['orders', 'customers']],
      [1, ['clicks']],
    ]),
    partitionCounts: new Map([
      ['orders', 2],
      ['customers', 2],
      ['clicks', 2],
    ]),
    statefulSubtopologies: new Set([0]),
    changelogEndOffsetSums: new Map([
      ['0_0', 1_000_000],
      ['0_1', 1_000_000],
    ]),
    config: assignorConfig({ numStandbyReplicas: 1 }),
    nowMs: 1_000,
  };
}

describe('planGroupAssignment', () => {
  it('hands each member its tasks with their co-partitioned partitions, standbys and the host maps', () => {
    const plan = planGroupAssignment(
      request([
        { memberId: 'a-1', userData: subscription(processA, { userEndpoint: 'a:1', ownedActiveTasks: ['0_0'], taskOffsetSums: new Map([['0_0', LATEST_OFFSET]]) }) },
        { memberId: 'a-2', userData: subscription(processA, { userEndpoint: 'a:1' }) },
        { memberId: 'b-1', userData: subscription(processB, { userEndpoint: 'b:2', ownedActiveTasks: ['0_1'], taskOffsetSums: new Map([['0_1', LATEST_OFFSET]]) }) },
      ]),
    );
    const a1 = decodeAssignmentInfo(plan.members.get('a-1')?.userData as Uint8Array);
    expect(a1.activeTasks.find((task) => task.taskId === '0_0')?.partitions).toEqual([{ topic: 'customers', partition: 0 }, { topic: 'orders', partition: 0 }]);
    expect(plan.members.get('a-1')?.partitions).toEqual(a1.activeTasks.flatMap((task) => task.partitions));
    expect(a1.version).toBe(LATEST_SUPPORTED_VERSION);
    expect(a1.partitionsByHost.get('b:2')).toEqual(expect.arrayContaining([{ topic: 'orders', partition: 1 }]));
    const standbys = [...plan.members.values()].flatMap((member) => member.info.standbyTasks.map((task) => `${member.memberId}:${task.taskId}`));
    expect(standbys.sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^b-1:0_0$/), expect.stringMatching(/^a-\d:0_1$/)]));
    expect(a1.nextProbingRebalanceMs).toBeUndefined();
    const allActive = [...plan.members.values()].flatMap((member) => member.info.activeTasks.map((task) => task.taskId));
    expect(allActive.sort()).toEqual(['0_0', '0_1', '1_0', '1_1']);
  });

  it('schedules a probing rebalance when a warm-up is placed', () => {
    const plan = planGroupAssignment(
      request([
        { memberId: 'a-1', userData: subscription(processA, { ownedActiveTasks: ['0_0', '0_1'], taskOffsetSums: new Map([['0_0', LATEST_OFFSET], ['0_1', LATEST_OFFSET]]) }) },
        { memberId: 'b-1', userData: subscription(processB) },
      ]),
    );
    expect(plan.assignment?.probingRebalanceNeeded).toBe(true);
    expect(plan.members.get('b-1')?.info.nextProbingRebalanceMs).toBe(1_000 + 600_000);
  });

  it('holds back a task that moves between members under cooperative rebalancing, for one round', () => {
    const owned = { ownedActiveTasks: ['0_0', '0_1', '1_0', '1_1'], taskOffsetSums: new Map([['0_0', 999_999], ['0_1', 999_999]]) };
    const members = [
      { memberId: 'a-1', userData: subscription(processA, owned) },
      { memberId: 'b-1', userData: subscription(processB, { taskOffsetSums: new Map([['0_0', 999_999], ['0_1', 999_999]]) }) },
    ];
    const plan = planGroupAssignment({ ...request(members), cooperative: true });
    const planned = plan.assignment?.members.get('b-1')?.activeTasks ?? [];
    expect(planned.length).toBeGreaterThan(0);
    expect(plan.heldBackTasks).toEqual([...planned].sort());
    expect(plan.members.get('b-1')?.partitions).toEqual([]);
    const keptByA = plan.members.get('a-1')?.info.activeTasks.map((task) => task.taskId) ?? [];
    expect(keptByA.filter((task) => planned.includes(task))).toEqual([]);
    expect(keptByA.length).toBeGreaterThan(0);
    expect(planGroupAssignment(request(members)).heldBackTasks).toEqual([]);
  });

  it('answers in version 1 while a member still sends version 1 (rolling upgrade)', () => {
    const plan = planGroupAssignment(request([{ memberId: 'a-1', userData: subscription(processA, {}, 1) }, { memberId: 'b-1', userData: subscription(processB) }]));
    expect(decodeAssignmentInfo(plan.members.get('b-1')?.userData as Uint8Array).version).toBe(1);
  });

  it('probes versions when a member is newer: every member keeps what it owned and rejoins', () => {
    const future = Uint8Array.from(Buffer.from(`000000${(LATEST_SUPPORTED_VERSION + 1).toString(16).padStart(2, '0')}000000ff`, 'hex'));
    const plan = planGroupAssignment(request([{ memberId: 'a-1', userData: subscription(processA, { ownedActiveTasks: ['0_1'] }) }, { memberId: 'b-1', userData: future }]));
    expect(plan.assignment).toBeUndefined();
    expect(plan.members.get('a-1')?.info).toMatchObject({ errorCode: AssignorErrorCode.VERSION_PROBING, version: LATEST_SUPPORTED_VERSION });
    expect(plan.members.get('a-1')?.info.activeTasks.map((task) => task.taskId)).toEqual(['0_1']);
    expect(plan.members.get('b-1')?.partitions).toEqual([]);
  });

  it('tells every member to shut down when one asked for it', () => {
    const plan = planGroupAssignment(
      request([{ memberId: 'a-1', userData: subscription(processA, { errorCode: AssignorErrorCode.SHUTDOWN_REQUESTED }) }, { memberId: 'b-1', userData: subscription(processB) }]),
    );
    expect([...plan.members.values()].map((member) => [member.info.errorCode, member.partitions.length])).toEqual([
      [AssignorErrorCode.SHUTDOWN_REQUESTED, 0],
      [AssignorErrorCode.SHUTDOWN_REQUESTED, 0],
    ]);
  });
});
