import { describe, expect, it } from 'vitest';
import { assignStandbys } from './assign-standbys.js';

describe('assignStandbys', () => {
  it('never places a standby on the instance that runs the active task', () => {
    const members = [
      { memberId: 'a1', processId: 'A' },
      { memberId: 'a2', processId: 'A' },
      { memberId: 'b1', processId: 'B' },
    ];
    const active = new Map([
      ['a1', ['0_0']],
      ['a2', ['0_1']],
      ['b1', ['0_2']],
    ]);
    const standbys = assignStandbys(members, active, ['0_0', '0_1', '0_2'], 1);
    expect(standbys.get('b1')?.sort()).toEqual(['0_0', '0_1']);
    expect([...(standbys.get('a1') ?? []), ...(standbys.get('a2') ?? [])]).toEqual(['0_2']);
  });

  it('places at most one copy per instance and fewer when instances run out', () => {
    const members = ['A', 'B', 'C'].map((processId) => ({ memberId: `m${processId}`, processId }));
    const active = new Map([['mA', ['0_0']], ['mB', []], ['mC', []]]);
    const standbys = assignStandbys(members, active, ['0_0'], 5);
    expect(standbys).toEqual(new Map([['mA', []], ['mB', ['0_0']], ['mC', ['0_0']]]));
  });

  it('spreads standbys over instances and only for stateful tasks', () => {
    const members = ['A', 'B', 'C'].map((processId) => ({ memberId: `m${processId}`, processId }));
    const active = new Map([['mA', ['0_0', '1_0']], ['mB', ['0_1', '1_1']], ['mC', ['0_2', '1_2']]]);
    const standbys = assignStandbys(members, active, ['0_0', '0_1', '0_2'], 1);
    expect([...standbys.values()].map((tasks) => tasks.length)).toEqual([1, 1, 1]);
    for (const [memberId, tasks] of standbys) for (const task of tasks) expect(active.get(memberId)).not.toContain(task);
  });

  it('gives no standbys with zero replicas or a single instance', () => {
    const active = new Map([['m1', ['0_0']], ['m2', ['0_1']]]);
    const sameProcess = [{ memberId: 'm1', processId: 'A' }, { memberId: 'm2', processId: 'A' }];
    expect([...assignStandbys(sameProcess, active, ['0_0', '0_1'], 1).values()].flat()).toEqual([]);
    const twoProcesses = [{ memberId: 'm1', processId: 'A' }, { memberId: 'm2', processId: 'B' }];
    expect([...assignStandbys(twoProcesses, active, ['0_0', '0_1'], 0).values()].flat()).toEqual([]);
  });
});
