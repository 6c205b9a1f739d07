import { describe, expect, it } from 'vitest';
import { noopLogger } from '../../internal/engine-ports.js';
import type { TopicPartition } from '../kafka-client.js';
import { GroupMember, type GroupAssignment, type RebalanceProtocol } from './group-member.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './member-protocol.js';

const p = (partition: number): TopicPartition => ({ topic: 'in', partition });
const protocolError = (type: string): Error => Object.assign(new Error(type), { type });

/** A scripted coordinator: each JoinGroup returns the next generation; the leader's assignment is `plan`. */
function fakeClient(log: string[]) {
  let generation = 0;
  const client = {
    plan: [p(0), p(1)] as TopicPartition[],
    heartbeatError: undefined as Error | undefined,
    joinError: undefined as Error | undefined,
    async joinGroup(options: { memberId: string; protocols: readonly { metadata: Buffer }[] }) {
      log.push(`join ${options.memberId || '(new)'}`);
      if (client.joinError !== undefined) {
        const error = client.joinError;
        client.joinError = undefined;
        throw error;
      }
      generation++;
      return { generationId: generation, memberId: 'm1', leaderId: 'm1', protocolName: 'stream', members: [{ memberId: 'm1', groupInstanceId: null, metadata: options.protocols[0]!.metadata }] };
    },
    async syncGroup(identity: { generationId: number }, assignments: readonly { memberId: string; assignment: Buffer }[]) {
      log.push(`sync ${identity.generationId}`);
      return assignments[0]!.assignment;
    },
    async heartbeat() {
      log.push('heartbeat');
      if (client.heartbeatError !== undefined) throw client.heartbeatError;
    },
    async leaveGroup() {
      log.push('leave');
    },
    resetCoordinator() {},
  };
  return client;
}

function member(protocol: RebalanceProtocol, options: { maxPollIntervalMs?: number } = {}) {
  const log: string[] = [];
  const client = fakeClient(log);
  const assignments: GroupAssignment[] = [];
  const groupMember = new GroupMember({
    client,
    groupInstanceId: null,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    heartbeatIntervalMs: 5,
    maxPollIntervalMs: options.maxPollIntervalMs ?? 60_000,
    protocol,
    subscription: () => ({ topics: ['in'], userData: new Uint8Array([1]) }),
    assign: async (members) => new Map(members.map(({ memberId }) => [memberId, { partitions: client.plan, userData: new Uint8Array([7]) }])),
    logger: noopLogger,
    wake: () => undefined,
    listener: {
      onPartitionsRevoked: async (partitions) => void log.push(`revoked ${partitions.map((partition) => partition.partition).join(',')}`),
      onPartitionsAssigned: async (assignment) => {
        assignments.push(assignment);
        log.push(`assigned ${assignment.partitions.map((partition) => partition.partition).join(',')}`);
      },
      onPartitionsLost: async (partitions) => void log.push(`lost ${partitions.map((partition) => partition.partition).join(',')}`),
    },
  });
  return { groupMember, client, log, assignments };
}

async function pollUntil(groupMember: GroupMember, condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await groupMember.poll();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(condition()).toBe(true);
}

describe('member protocol', () => {
  it('round-trips subscriptions and assignments in the consumer-protocol layout', () => {
    expect(decodeSubscription(encodeSubscription({ topics: ['a', 'b'], userData: new Uint8Array([1, 2, 3]) }))).toEqual({ topics: ['a', 'b'], userData: Buffer.from([1, 2, 3]) });
    const assignment = decodeAssignment(encodeAssignment({ partitions: [p(2), { topic: 'other', partition: 0 }, p(5)], userData: new Uint8Array([9]) }));
    expect(assignment.partitions).toEqual([p(2), p(5), { topic: 'other', partition: 0 }]);
    expect([...assignment.userData]).toEqual([9]);
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ partitions: [], userData: new Uint8Array() });
  });
});

describe('GroupMember', () => {
  it('joins, syncs and hands the assignment to the listener inside poll', async () => {
    const { groupMember, log, assignments } = member('cooperative');
    await pollUntil(groupMember, () => assignments.length === 1);
    expect(log.slice(0, 3)).toEqual(['join (new)', 'sync 1', 'assigned 0,1']);
    expect(assignments[0]).toMatchObject({ generationId: 1, memberId: 'm1', isLeader: true });
    expect([...assignments[0]!.userData]).toEqual([7]);
    expect(groupMember.identity).toEqual({ generationId: 1, memberId: 'm1', groupInstanceId: null });
    await groupMember.close();
  });

  it('eager: revokes every partition (awaited) before it sends the next JoinGroup', async () => {
    const { groupMember, log, assignments, client } = member('eager');
    await pollUntil(groupMember, () => assignments.length === 1);
    client.heartbeatError = protocolError('REBALANCE_IN_PROGRESS');
    await pollUntil(groupMember, () => log.includes('revoked 0,1'));
    client.heartbeatError = undefined;
    await pollUntil(groupMember, () => assignments.length === 2);
    const revokedAt = log.indexOf('revoked 0,1');
    expect(log.indexOf('join m1', revokedAt)).toBeGreaterThan(revokedAt);
    expect(log.slice(revokedAt, revokedAt + 2)).toEqual(['revoked 0,1', 'join m1']);
    await groupMember.close();
  });

  it('cooperative: keeps its partitions through the join, revokes only what moved, then rejoins', async () => {
    const { groupMember, log, assignments, client } = member('cooperative');
    await pollUntil(groupMember, () => assignments.length === 1);
    client.plan = [p(0)];
    groupMember.requestRejoin('test');
    await pollUntil(groupMember, () => assignments.length === 2);
    expect(log).not.toContain('revoked 0,1');
    expect(log.slice(log.indexOf('sync 2'), log.indexOf('sync 2') + 3)).toEqual(['sync 2', 'revoked 1', 'assigned 0']);
    // Giving up partition 1 needs a follow-up rebalance, so its new owner can get it.
    await pollUntil(groupMember, () => assignments.length === 3);
    await groupMember.close();
  });

  it('reports its partitions lost when the coordinator no longer knows it, and rejoins as a new member', async () => {
    const { groupMember, log, assignments, client } = member('cooperative');
    await pollUntil(groupMember, () => assignments.length === 1);
    client.heartbeatError = protocolError('UNKNOWN_MEMBER_ID');
    await pollUntil(groupMember, () => log.includes('lost 0,1'));
    client.heartbeatError = undefined;
    await pollUntil(groupMember, () => assignments.length === 2);
    expect(log.slice(log.indexOf('lost 0,1'))).toEqual(expect.arrayContaining(['lost 0,1', 'join (new)', 'assigned 0,1']));
    expect(log).not.toContain('revoked 0,1');
    await groupMember.close();
  });

  it('leaves the group and loses its partitions when it does not poll within maxPollIntervalMs', async () => {
    const { groupMember, log, assignments } = member('cooperative', { maxPollIntervalMs: 30 });
    await pollUntil(groupMember, () => assignments.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log).toContain('leave');
    await pollUntil(groupMember, () => log.includes('lost 0,1') && assignments.length === 2);
    await groupMember.close();
  });

  it('stops with a named error when the group refuses it for good', async () => {
    const { groupMember, client } = member('cooperative');
    client.joinError = protocolError('GROUP_AUTHORIZATION_FAILED');
    await groupMember.poll();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(groupMember.poll()).rejects.toThrow(/refused this member \(GROUP_AUTHORIZATION_FAILED\)/);
  });
});
