import { describe, expect, it } from 'vitest';
import { assignTasksToProcesses } from './assign-tasks-to-processes.js';
import { assignorConfig, type AssignorConfig } from './assignor-config.js';
import type { ProcessState } from './assignment-input.js';
import { LATEST_OFFSET } from './task-lags.js';

const tasks = (count: number, subtopology = 0): string[] => [...Array(count).keys()].map((partition) => `${subtopology}_${partition}`);

function process(processId: string, options: { threads?: number; active?: string[]; standby?: string[]; offsetSums?: [string, number][]; tags?: Record<string, string> } = {}): ProcessState {
  const members = [...Array(options.threads ?? 1).keys()].map((thread) => ({
    memberId: `${processId}-${thread}`,
    ownedActiveTasks: thread === 0 ? (options.active ?? []) : [],
    ownedStandbyTasks: thread === 0 ? (options.standby ?? []) : [],
  }));
  const offsetSums = new Map<string, number>([...(options.active ?? []).map((task) => [task, LATEST_OFFSET] as [string, number]), ...(options.offsetSums ?? [])]);
  return { processId, members, taskOffsetSums: offsetSums, clientTags: options.tags ?? {} };
}

function assign(processes: ProcessState[], options: { stateful?: string[]; stateless?: string[]; endOffset?: number; config?: Partial<AssignorConfig> } = {}) {
  const stateful = options.stateful ?? [];
  return assignTasksToProcesses({
    processes,
    statefulTasks: stateful,
    statelessTasks: options.stateless ?? [],
    changelogEndOffsetSums: new Map(stateful.map((task) => [task, options.endOffset ?? 1_000_000])),
    config: assignorConfig(options.config),
  });
}

const activeOf = (result: ReturnType<typeof assign>, processId: string) => result.processes.get(processId)?.activeTasks;

describe('assignTasksToProcesses', () => {
  it('spreads tasks evenly on a fresh start, with no warm-ups and no probing', () => {
    const result = assign([process('a'), process('b'), process('c')], { stateful: tasks(6) });
    expect([activeOf(result, 'a'), activeOf(result, 'b'), activeOf(result, 'c')].map((list) => list?.length)).toEqual([2, 2, 2]);
    expect(result.probingRebalanceNeeded).toBe(false);
    expect([...result.processes.values()].flatMap((assignment) => assignment.warmupTasks)).toEqual([]);
  });

  it('keeps every task where it runs when the assignment is balanced already', () => {
    const result = assign([process('a', { active: ['0_3', '0_4'] }), process('b', { active: ['0_0', '0_5'] }), process('c', { active: ['0_1', '0_2'] })], { stateful: tasks(6) });
    expect(activeOf(result, 'a')).toEqual(['0_3', '0_4']);
    expect(activeOf(result, 'b')).toEqual(['0_0', '0_5']);
    expect(activeOf(result, 'c')).toEqual(['0_1', '0_2']);
  });

  it('leaves tasks with a caught-up owner and warms up the new instance when its lag is too big', () => {
    const result = assign([process('a', { active: tasks(3) }), process('b', { active: ['0_3', '0_4', '0_5'] }), process('c')], { stateful: tasks(6) });
    expect(activeOf(result, 'a')).toEqual(tasks(3));
    expect(activeOf(result, 'b')).toEqual(['0_3', '0_4', '0_5']);
    expect(result.processes.get('c')?.warmupTasks).toHaveLength(2);
    expect(result.probingRebalanceNeeded).toBe(true);
  });

  it('moves tasks to the new instance at once when its lag is acceptable', () => {
    const result = assign([process('a', { active: tasks(3) }), process('b', { active: ['0_3', '0_4', '0_5'] }), process('c')], { stateful: tasks(6), endOffset: 5_000 });
    expect(activeOf(result, 'c')).toHaveLength(2);
    expect(activeOf(result, 'a')).toHaveLength(2);
    expect(result.probingRebalanceNeeded).toBe(false);
  });

  it('moves a task once the warm-up caught up (its offset sum within acceptableRecoveryLag)', () => {
    const result = assign(
      [process('a', { active: tasks(3) }), process('b', { active: ['0_3', '0_4', '0_5'] }), process('c', { offsetSums: [['0_0', 999_000], ['0_3', 999_000]] })],
      { stateful: tasks(6) },
    );
    expect(activeOf(result, 'c')).toEqual(['0_0', '0_3']);
    expect(result.probingRebalanceNeeded).toBe(false);
  });

  it('hands the tasks of a lost instance to the instances holding their standbys', () => {
    const result = assign(
      [process('b', { active: ['0_2', '0_3'], standby: ['0_0'], offsetSums: [['0_0', 1_000_000]] }), process('c', { active: ['0_4', '0_5'], standby: ['0_1'], offsetSums: [['0_1', 999_999]] })],
      { stateful: tasks(6) },
    );
    expect(activeOf(result, 'b')).toContain('0_0');
    expect(activeOf(result, 'c')).toContain('0_1');
  });

  it('weights the share of each instance by its thread count', () => {
    const result = assign([process('a', { threads: 2 }), process('b')], { stateful: tasks(6), stateless: tasks(3, 1) });
    expect(activeOf(result, 'a')?.filter((task) => task.startsWith('0_'))).toHaveLength(4);
    expect(activeOf(result, 'a')).toHaveLength(6);
  });

  it('balances stateless tasks against the stateful load', () => {
    const result = assign([process('a', { active: tasks(4) }), process('b')], { stateful: tasks(4), stateless: tasks(4, 1) });
    expect(activeOf(result, 'a')).toEqual(tasks(4));
    expect(activeOf(result, 'b')).toEqual(tasks(4, 1));
  });

  it('places standbys away from their active, sticky to the instance holding the state', () => {
    const result = assign([process('a', { active: ['0_0'], standby: ['0_1'], offsetSums: [['0_1', 1_000_000]] }), process('b', { active: ['0_1'] }), process('c')], {
      stateful: tasks(2),
      config: { numStandbyReplicas: 1 },
    });
    expect(result.processes.get('a')?.standbyTasks).toEqual(['0_1']);
    for (const assignment of result.processes.values()) for (const task of assignment.standbyTasks) expect(assignment.activeTasks).not.toContain(task);
  });

  it('places standbys in other zones than their active (rack awareness)', () => {
    const zone = (name: string) => ({ zone: name });
    const processes = [process('a', { tags: zone('z1') }), process('b', { tags: zone('z1') }), process('c', { tags: zone('z2') }), process('d', { tags: zone('z2') })];
    const result = assign(processes, { stateful: tasks(8), config: { numStandbyReplicas: 1, rackAwareAssignmentTags: ['zone'] } });
    const zoneOf = new Map([['a', 'z1'], ['b', 'z1'], ['c', 'z2'], ['d', 'z2']]);
    for (const [processId, assignment] of result.processes) {
      for (const task of assignment.standbyTasks) {
        const activeProcess = [...result.processes].find(([, other]) => other.activeTasks.includes(task))?.[0] as string;
        expect(zoneOf.get(activeProcess)).not.toBe(zoneOf.get(processId));
      }
    }
  });

  it('counts the standby replicas it cannot place for lack of processes', () => {
    const result = assign([process('a'), process('b')], { stateful: tasks(3), endOffset: 0, config: { numStandbyReplicas: 2 } });
    expect(result.missingStandbyReplicas).toBe(3);
    expect(assign([process('a')], { stateful: tasks(3), config: { numStandbyReplicas: 1 } }).missingStandbyReplicas).toBe(3);
  });

  it('rejects bad input naming the culprit', () => {
    expect(() => assign([], { stateful: tasks(2) })).toThrow(/no process to assign 2 tasks to/);
    expect(() => assign([process('a'), process('a')])).toThrow(/Process a is listed twice/);
    expect(() => assign([{ ...process('a'), members: [] }])).toThrow(/Process a has no members/);
    expect(() => assign([process('a')], { stateful: ['0_0'], stateless: ['0_0'] })).toThrow(/Task 0_0 is listed as both/);
    expect(() => assignorConfig({ maxWarmupReplicas: 0 })).toThrow(/maxWarmupReplicas is 0/);
  });
});
