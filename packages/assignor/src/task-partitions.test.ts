import { describe, expect, it } from 'vitest';
import { compareTaskIds, parseTaskId, sortTaskIds } from './task-id.js';
import { partitionsOfTasks, tasksForTopicGroups } from './task-partitions.js';

describe('tasksForTopicGroups', () => {
  it('makes one task per partition of each sub-topology, with the co-partitioned partitions together', () => {
    const tasks = tasksForTopicGroups(
      new Map([
        [1, ['app-repartition']],
        [0, ['orders', 'customers']],
      ]),
      new Map([
        ['orders', 2],
        ['customers', 2],
        ['app-repartition', 1],
      ]),
    );
    expect([...tasks.keys()]).toEqual(['0_0', '0_1', '1_0']);
    expect(tasks.get('0_1')).toEqual([{ topic: 'customers', partition: 1 }, { topic: 'orders', partition: 1 }]);
  });

  it('names the sub-topology and topics that are not co-partitioned, or a topic without metadata', () => {
    const groups = new Map([[0, ['orders', 'customers']]]);
    expect(() => tasksForTopicGroups(groups, new Map([['orders', 2], ['customers', 3]]))).toThrow(/sub-topology 0 are not co-partitioned \(customers: 3, orders: 2\)/);
    expect(() => tasksForTopicGroups(groups, new Map([['orders', 2]]))).toThrow(/Source topic "customers" of sub-topology 0 has no partition metadata/);
  });
});

describe('partitionsOfTasks', () => {
  it('collects the partitions of the given tasks, sorted', () => {
    const tasks = new Map([
      ['0_0', [{ topic: 'b', partition: 0 }, { topic: 'a', partition: 0 }]],
      ['0_1', [{ topic: 'b', partition: 1 }]],
    ]);
    expect(partitionsOfTasks(['0_1', '0_0', '9_9'], tasks)).toEqual([{ topic: 'a', partition: 0 }, { topic: 'b', partition: 0 }, { topic: 'b', partition: 1 }]);
  });
});

describe('task ids', () => {
  it('sort numerically by sub-topology, then partition', () => {
    expect(sortTaskIds(['1_0', '0_10', '0_2', '0_2'])).toEqual(['0_2', '0_10', '1_0']);
    expect(compareTaskIds('0_10', '0_9')).toBeGreaterThan(0);
    expect(() => parseTaskId('0-1')).toThrow(/Task id "0-1" is not valid/);
  });
});
