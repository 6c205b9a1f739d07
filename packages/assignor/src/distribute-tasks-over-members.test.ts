import { describe, expect, it } from 'vitest';
import type { ProcessState } from './assignment-input.js';
import { distributeTasksOverMembers } from './distribute-tasks-over-members.js';

function processWith(members: { id: string; active?: string[]; standby?: string[] }[]): ProcessState {
  return {
    processId: 'p',
    members: members.map((member) => ({ memberId: member.id, ownedActiveTasks: member.active ?? [], ownedStandbyTasks: member.standby ?? [] })),
    taskOffsetSums: new Map(),
  };
}

const statefulTasks = new Set(['0_0', '0_1', '0_2', '0_3', '0_4']);

describe('distributeTasksOverMembers', () => {
  it('keeps each thread its tasks and gives new tasks to the least loaded thread', () => {
    const members = distributeTasksOverMembers(
      processWith([{ id: 't1', active: ['0_0', '0_1'] }, { id: 't2', active: ['0_2'] }]),
      { processId: 'p', activeTasks: ['0_0', '0_1', '0_2', '0_3'], standbyTasks: [], warmupTasks: [] },
      { statefulTasks },
    );
    expect(members.map((member) => member.activeTasks)).toEqual([['0_0', '0_1'], ['0_2', '0_3']]);
  });

  it('takes tasks from a thread with too many, keeping the rest in place', () => {
    const members = distributeTasksOverMembers(
      processWith([{ id: 't1', active: ['0_0', '0_1', '0_2', '0_3'] }, { id: 't2' }]),
      { processId: 'p', activeTasks: ['0_0', '0_1', '0_2', '0_3'], standbyTasks: [], warmupTasks: [] },
      { statefulTasks },
    );
    expect(members.map((member) => member.activeTasks)).toEqual([['0_0', '0_1'], ['0_2', '0_3']]);
  });

  it('gives a task to the thread that held its standby, and balances stateful before stateless tasks', () => {
    const members = distributeTasksOverMembers(
      processWith([{ id: 't1', active: ['0_0'] }, { id: 't2', standby: ['0_1'] }]),
      { processId: 'p', activeTasks: ['0_0', '0_1', '1_0', '1_1'], standbyTasks: [], warmupTasks: [] },
      { statefulTasks },
    );
    expect(members.map((member) => member.activeTasks)).toEqual([['0_0', '1_0'], ['0_1', '1_1']]);
  });

  it('spreads standbys and warm-ups so that every thread has the same total, marking warm-ups', () => {
    const members = distributeTasksOverMembers(
      processWith([{ id: 't2' }, { id: 't1', active: ['0_0', '0_1'] }]),
      { processId: 'p', activeTasks: ['0_0', '0_1'], standbyTasks: ['0_2'], warmupTasks: ['0_3'] },
      { statefulTasks },
    );
    expect(members.map((member) => member.memberId)).toEqual(['t1', 't2']);
    expect(members.map((member) => [...member.activeTasks, ...member.standbyTasks].length)).toEqual([2, 2]);
    expect(members.flatMap((member) => member.standbyTasks).sort()).toEqual(['0_2', '0_3']);
    const withWarmup = members.find((member) => member.warmupTasks.length > 0);
    expect(withWarmup?.warmupTasks).toEqual(['0_3']);
    expect(withWarmup?.standbyTasks).toContain('0_3');
  });
});
