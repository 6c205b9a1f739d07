import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignorConfig } from './assignor-config.js';
import { AssignmentSimulation } from './testing/assignment-simulation.js';
import { minimumTaskMoves } from './testing/minimum-task-moves.js';

// More runs on demand: FAST_CHECK_RUNS=2000 npx vitest run --project unit packages/assignor
const runs = Number(process.env['FAST_CHECK_RUNS'] ?? 40);
fc.configureGlobal({ numRuns: runs });
// Generous: the machine may be shared; the runs, not a timing, are what is tested.
const timeout = 30_000 + runs * 100;

const scenario = fc.record({
  threads: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 6 }),
  newThreads: fc.integer({ min: 1, max: 3 }),
  taskCount: fc.integer({ min: 1, max: 48 }),
  leave: fc.boolean(),
  leaver: fc.nat(),
  standbys: fc.integer({ min: 0, max: 1 }),
});

type Scenario = { threads: number[]; newThreads: number; taskCount: number; leave: boolean; leaver: number; standbys: number };

/** A started group, settled (every task running, standbys caught up), then one process joins or leaves. */
function startAndChange(drawn: Scenario, endOffsetSum: number) {
  const tasks = [...Array(drawn.taskCount).keys()].map((index) => `${index % 2}_${Math.floor(index / 2)}`);
  const simulation = new AssignmentSimulation({ statefulTasks: tasks, endOffsetSum, config: assignorConfig({ numStandbyReplicas: drawn.standbys }) });
  const threads = new Map(drawn.threads.map((count, index) => [`p${index}`, count]));
  for (const [processId, count] of threads) simulation.addProcess(processId, { threads: count });
  const first = simulation.rebalance();
  simulation.restore();
  if (drawn.leave) {
    const leaver = `p${drawn.leaver % drawn.threads.length}`;
    simulation.removeProcess(leaver);
    threads.delete(leaver);
  } else {
    simulation.addProcess('new', { threads: drawn.newThreads });
    threads.set('new', drawn.newThreads);
  }
  const previousCounts = [...threads.keys()].map((processId) => first.assignment.processes.get(processId)?.activeTasks.length ?? 0);
  const bound = minimumTaskMoves(previousCounts, [...threads.values()], drawn.taskCount);
  const initialOwners = new Map<string, string>();
  for (const [processId, process] of first.assignment.processes) {
    if (threads.has(processId)) for (const task of process.activeTasks) initialOwners.set(task, processId);
  }
  const leaverTasks = drawn.taskCount - initialOwners.size;
  return { simulation, threads, bound, initialOwners, leaverTasks };
}

describe('assignment movement (properties)', () => {
  it('moves exactly the minimum number of tasks when a process joins or leaves and all state is caught up', () => {
    fc.assert(
      fc.property(scenario, (drawn) => {
        const { simulation, bound } = startAndChange(drawn, 0);
        expect(simulation.rebalance().movedTasks.length).toBe(bound);
      }),
    );
  }, timeout);

  it('converges through probing rebalances to a balanced assignment without warm-ups, every move onto caught-up state', () => {
    fc.assert(
      fc.property(scenario, (drawn) => {
        const { simulation, threads, bound, initialOwners, leaverTasks } = startAndChange(drawn, 1_000_000);
        const acceptableRecoveryLag = assignorConfig().acceptableRecoveryLag;
        let result = simulation.rebalance();
        // Only tasks whose process left with no caught-up copy elsewhere restore more than the acceptable lag.
        const uncovered = new Set(result.orphanedTasks.filter((task) => (result.promotionLags.get(task) ?? 0) > acceptableRecoveryLag));
        for (const [task, lag] of result.promotionLags) if (!uncovered.has(task)) expect(lag).toBeLessThanOrEqual(acceptableRecoveryLag);
        for (let rounds = 0; result.assignment.probingRebalanceNeeded && rounds < drawn.taskCount + 2; rounds++) {
          simulation.restore();
          result = simulation.rebalance();
          for (const lag of result.promotionLags.values()) expect(lag).toBeLessThanOrEqual(acceptableRecoveryLag);
        }
        expect(result.assignment.probingRebalanceNeeded).toBe(false);
        expect([...result.assignment.processes.values()].flatMap((process) => process.warmupTasks)).toEqual([]);
        const totalThreads = [...threads.values()].reduce((sum, count) => sum + count, 0);
        for (const [processId, process] of result.assignment.processes) {
          const share = (drawn.taskCount * (threads.get(processId) as number)) / totalThreads;
          expect(process.activeTasks.length).toBeGreaterThanOrEqual(Math.floor(share));
          expect(process.activeTasks.length).toBeLessThanOrEqual(Math.ceil(share));
        }
        const finalOwners = new Map([...result.assignment.processes].flatMap(([processId, process]) => process.activeTasks.map((task) => [task, processId] as const)));
        const moved = [...initialOwners].filter(([task, owner]) => finalOwners.get(task) !== owner).length;
        // A join moves exactly the minimum; after a leave, a survivor may hand over one of its own
        // tasks for each of the leaver's tasks it hosted while a warm-up caught up.
        if (drawn.leave) expect(moved).toBeLessThanOrEqual(bound + leaverTasks);
        else expect(moved).toBe(bound);
      }),
    );
  }, timeout);

  it('converges within ceil(moves / maxWarmupReplicas) probing rebalances when a process joins', () => {
    fc.assert(
      fc.property(scenario, (drawn) => {
        const { simulation, bound } = startAndChange({ ...drawn, leave: false }, 1_000_000);
        let probes = 0;
        while (simulation.rebalance().assignment.probingRebalanceNeeded && probes <= bound) {
          simulation.restore();
          probes += 1;
        }
        expect(probes).toBeLessThanOrEqual(Math.ceil(bound / 2));
      }),
    );
  }, timeout);
});
