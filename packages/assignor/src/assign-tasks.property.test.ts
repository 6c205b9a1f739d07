import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignTasks, type TaskAssignment } from './assign-tasks.js';
import { assignorConfig } from './assignor-config.js';
import type { ProcessState, TaskAssignmentInput } from './assignment-input.js';
import { LATEST_OFFSET } from './task-lags.js';

// More runs on demand: FAST_CHECK_RUNS=2000 npx vitest run --project unit packages/assignor
const runs = Number(process.env['FAST_CHECK_RUNS'] ?? 60);
fc.configureGlobal({ numRuns: runs });
// Generous: the machine may be shared; the runs, not a timing, are what is tested.
const timeout = 30_000 + runs * 100;

/** A random group: processes with threads and tags, previous owners, state on disk, lags. */
const inputArbitrary = (options: { caughtUp?: boolean } = {}) =>
  fc
    .record({
      processCount: fc.integer({ min: 1, max: 7 }),
      threads: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 7, maxLength: 7 }),
      zones: fc.array(fc.constantFrom('z1', 'z2', 'z3'), { minLength: 7, maxLength: 7 }),
      statefulCount: fc.integer({ min: 0, max: 40 }),
      statelessCount: fc.integer({ min: 0, max: 15 }),
      owners: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 40, maxLength: 40 }),
      standbys: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 40, maxLength: 40 }),
      standbyLags: fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 40, maxLength: 40 }),
      numStandbyReplicas: fc.integer({ min: 0, max: 2 }),
      endOffset: fc.integer({ min: 0, max: 50_000 }),
    })
    .map((drawn): TaskAssignmentInput => {
      const processIds = [...Array(drawn.processCount).keys()].map((index) => `p${index}`);
      const stateful = [...Array(drawn.statefulCount).keys()].map((index) => `${index % 3}_${Math.floor(index / 3)}`);
      const stateless = [...Array(drawn.statelessCount).keys()].map((index) => `3_${index}`);
      const processes: ProcessState[] = processIds.map((processId, index) => {
        const owned = stateful.filter((_, task) => drawn.owners[task] === index);
        const standby = stateful.filter((_, task) => drawn.standbys[task] === index && drawn.owners[task] !== index);
        const members = [...Array(drawn.threads[index] as number).keys()].map((thread) => ({
          memberId: `${processId}-m${thread}`,
          ownedActiveTasks: owned.filter((_, position) => position % (drawn.threads[index] as number) === thread),
          ownedStandbyTasks: standby.filter((_, position) => position % (drawn.threads[index] as number) === thread),
        }));
        const offsetSums = new Map<string, number>([
          ...owned.map((task) => [task, LATEST_OFFSET] as [string, number]),
          ...standby.map((task) => [task, Math.max(0, drawn.endOffset - (drawn.standbyLags[stateful.indexOf(task)] as number))] as [string, number]),
        ]);
        return { processId, members, taskOffsetSums: offsetSums, clientTags: { zone: drawn.zones[index] as string } };
      });
      const endOffset = options.caughtUp === true ? 0 : drawn.endOffset;
      return {
        processes,
        statefulTasks: stateful,
        statelessTasks: stateless,
        changelogEndOffsetSums: new Map(stateful.map((task) => [task, endOffset])),
        config: assignorConfig({ numStandbyReplicas: drawn.numStandbyReplicas, rackAwareAssignmentTags: ['zone'] }),
      };
    });

function capacities(input: TaskAssignmentInput): Map<string, number> {
  return new Map(input.processes.map((process) => [process.processId, process.members.length]));
}

/** Whether `count` is the floor or the ceiling of `total` shared by capacity. */
function withinShare(count: number, total: number, capacity: number, totalCapacity: number): boolean {
  const share = (total * capacity) / totalCapacity;
  return count >= Math.floor(share) && count <= Math.ceil(share);
}

function reversedInput(input: TaskAssignmentInput): TaskAssignmentInput {
  return {
    ...input,
    processes: [...input.processes].reverse().map((process) => ({ ...process, members: [...process.members].reverse() })),
    statefulTasks: [...input.statefulTasks].reverse(),
    statelessTasks: [...input.statelessTasks].reverse(),
  };
}

const stripMaps = (assignment: TaskAssignment) => ({ processes: [...assignment.processes].sort(), members: [...assignment.members].sort(), probing: assignment.probingRebalanceNeeded });

describe('assignTasks (properties)', () => {
  it('assigns every task exactly once as active, to a process and to one of its members', () => {
    fc.assert(
      fc.property(inputArbitrary(), (input) => {
        const assignment = assignTasks(input);
        const actives = [...assignment.processes.values()].flatMap((process) => process.activeTasks).sort();
        expect(actives).toEqual([...input.statefulTasks, ...input.statelessTasks].sort());
        const memberActives = [...assignment.members.values()].flatMap((member) => member.activeTasks).sort();
        expect(memberActives).toEqual(actives);
        for (const member of assignment.members.values()) {
          expect(assignment.processes.get(member.processId)?.activeTasks).toEqual(expect.arrayContaining([...member.activeTasks]));
        }
      }),
    );
  }, timeout);

  it('never puts two copies of a task on one process, nor a standby or warm-up with its active', () => {
    fc.assert(
      fc.property(inputArbitrary(), (input) => {
        for (const process of assignTasks(input).processes.values()) {
          const copies = [...process.activeTasks, ...process.standbyTasks, ...process.warmupTasks];
          expect(new Set(copies).size).toBe(copies.length);
        }
      }),
    );
  }, timeout);

  it('places min(numStandbyReplicas, processes without a copy) standbys per stateful task', () => {
    fc.assert(
      fc.property(inputArbitrary(), (input) => {
        const processes = [...assignTasks(input).processes.values()];
        for (const task of input.statefulTasks) {
          const standbys = processes.filter((process) => process.standbyTasks.includes(task)).length;
          const warmups = processes.filter((process) => process.warmupTasks.includes(task)).length;
          expect(standbys).toBe(Math.min(input.config.numStandbyReplicas, input.processes.length - 1 - warmups));
        }
      }),
    );
  }, timeout);

  it('is deterministic: the same input in any order gives the same assignment', () => {
    fc.assert(
      fc.property(inputArbitrary(), (input) => {
        expect(stripMaps(assignTasks(reversedInput(input)))).toEqual(stripMaps(assignTasks(input)));
      }),
    );
  }, timeout);

  it('balances stateful tasks within one of each process share when state allows, and threads within one', () => {
    fc.assert(
      fc.property(inputArbitrary({ caughtUp: true }), (input) => {
        const assignment = assignTasks(input);
        const stateful = new Set(input.statefulTasks);
        const capacity = capacities(input);
        const totalCapacity = [...capacity.values()].reduce((sum, value) => sum + value, 0);
        expect(assignment.probingRebalanceNeeded).toBe(false);
        for (const [processId, process] of assignment.processes) {
          const count = process.activeTasks.filter((task) => stateful.has(task)).length;
          expect(withinShare(count, stateful.size, capacity.get(processId) as number, totalCapacity)).toBe(true);
          expect(process.warmupTasks).toEqual([]);
          const perMember = [...assignment.members.values()].filter((member) => member.processId === processId).map((member) => member.activeTasks.length);
          expect(Math.max(...perMember) - Math.min(...perMember)).toBeLessThanOrEqual(1);
        }
      }),
    );
  }, timeout);

  it('balances all active tasks within one per process when capacities are equal and state allows', () => {
    fc.assert(
      fc.property(inputArbitrary({ caughtUp: true }), (drawn) => {
        const input = { ...drawn, processes: drawn.processes.map((process) => ({ ...process, members: process.members.slice(0, 1) })) };
        const counts = [...assignTasks(input).processes.values()].map((process) => process.activeTasks.length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  }, timeout);
});
