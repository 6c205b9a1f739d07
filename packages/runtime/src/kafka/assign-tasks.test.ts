import { describe, expect, it } from 'vitest';
import { assignTasks } from './assign-tasks.js';

const tasks = (count: number): string[] => Array.from({ length: count }, (_, index) => `0_${index}`);

function counts(assignment: Map<string, string[]>): number[] {
  return [...assignment.values()].map((list) => list.length);
}

describe('assignTasks', () => {
  it('gives every task to exactly one member, balanced within one', () => {
    const members = ['c', 'a', 'b'].map((memberId) => ({ memberId, ownedTasks: [] }));
    const assignment = assignTasks(members, tasks(8));
    expect([...assignment.values()].flat().sort()).toEqual(tasks(8).sort());
    expect(counts(assignment)).toEqual([3, 3, 2]);
    expect([...assignment.keys()]).toEqual(['a', 'b', 'c']);
  });

  it('keeps tasks with their previous owner when a member joins', () => {
    const before = assignTasks([{ memberId: 'a', ownedTasks: [] }], tasks(4));
    expect(before.get('a')).toEqual(tasks(4));
    const after = assignTasks([{ memberId: 'a', ownedTasks: tasks(4) }, { memberId: 'b', ownedTasks: [] }], tasks(4));
    expect(after.get('a')).toEqual(['0_0', '0_1']);
    expect(after.get('b')).toEqual(['0_2', '0_3']);
  });

  it('hands the tasks of a member that left to the others without moving the rest', () => {
    const assignment = assignTasks(
      [
        { memberId: 'a', ownedTasks: ['0_0', '0_3'] },
        { memberId: 'c', ownedTasks: ['0_2', '0_5'] },
      ],
      tasks(6),
    );
    expect(assignment.get('a')).toEqual(['0_0', '0_3', '0_1']);
    expect(assignment.get('c')).toEqual(['0_2', '0_5', '0_4']);
  });

  it('does not let a previous owner keep more than its fair share', () => {
    const assignment = assignTasks(
      [
        { memberId: 'a', ownedTasks: tasks(5) },
        { memberId: 'b', ownedTasks: [] },
      ],
      tasks(5),
    );
    expect(counts(assignment)).toEqual([3, 2]);
    expect(assignment.get('a')).toEqual(['0_0', '0_1', '0_2']);
  });

  it('ignores owned tasks that no longer exist and leaves extra members empty', () => {
    const assignment = assignTasks(
      [
        { memberId: 'a', ownedTasks: ['9_9'] },
        { memberId: 'b', ownedTasks: [] },
        { memberId: 'c', ownedTasks: [] },
      ],
      tasks(2),
    );
    expect(counts(assignment)).toEqual([1, 1, 0]);
  });
});
