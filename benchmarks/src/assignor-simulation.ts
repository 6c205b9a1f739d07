/**
 * The assignor simulation (issue 11): an application with 24 stateful tasks (2 sub-topologies ×
 * 12 partitions, one standby each, 1,000,000 changelog records per task) on instances of one
 * thread, driven through 3 → 4 instances (D joins), 4 → 3 (B stops) and a kill of one (C).
 * Per step: tasks moved off instances that stay, beside the minimum any balanced assignment
 * needs and a round-robin assignor's moves; the tasks of the instance that left (they move in
 * every assignor); probing rebalances until the warm-ups converged, with 600,000 records
 * restored per probing interval (1,000 records/s for 10 minutes); and the records each
 * promoted task restored before it ran. Deterministic, no Kafka (`AssignmentSimulation`).
 *
 * `pnpm --filter @kstreams/benchmarks run bench:assignor-simulation` (the same in short mode).
 */
import { pathToFileURL } from 'node:url';
import { assignorConfig } from '@kstreams/assignor';
import { AssignmentSimulation, minimumTaskMoves } from '@kstreams/assignor/testing';
import { writeResult, type BenchmarkResult } from './bench-results.js';
import { renderSimulationChart, type SimulationStep } from './assignor-simulation-chart.js';

const TASKS = [...Array(24).keys()].map((index) => `${index % 2}_${Math.floor(index / 2)}`);
const END_OFFSET_SUM = 1_000_000;
const RESTORED_PER_PROBING_INTERVAL = 600_000;
const MAX_PROBES = 50;
const config = assignorConfig({ numStandbyReplicas: 1 });

const log = (line: string): void => void process.stdout.write(`${line}\n`);

type Owners = Map<string, string>;

function ownersOf(processes: ReadonlyMap<string, { readonly activeTasks: readonly string[] }>): Owners {
  return new Map([...processes].flatMap(([processId, process]) => process.activeTasks.map((task) => [task, processId] as const)));
}

/** Round-robin over the sorted instances: task i to instance i mod n. */
function roundRobinOwners(instances: readonly string[]): Owners {
  const sorted = [...instances].sort();
  return new Map(TASKS.map((task, position) => [task, sorted[position % sorted.length] as string]));
}

function movedOffSurvivors(before: Owners, after: Owners, survivors: ReadonlySet<string>): number {
  return [...before].filter(([task, owner]) => survivors.has(owner) && after.get(task) !== owner).length;
}

/** One step: change the group, rebalance, probe until converged; compare with the floor and round-robin. */
function runStep(simulation: AssignmentSimulation, instances: Set<string>, before: Owners, name: string, change: () => void): SimulationStep {
  const roundRobinBefore = roundRobinOwners([...instances]);
  change();
  const counts = [...instances].map((instance) => [...before.values()].filter((owner) => owner === instance).length);
  const minimum = minimumTaskMoves(counts, [...instances].map(() => 1), TASKS.length);
  let result = simulation.rebalance();
  let restoredRecords = [...result.promotionLags.values()].reduce((sum, lag) => sum + lag, 0);
  const movedInFirstRebalance = result.movedTasks.length;
  let probingRebalances = 0;
  while (result.assignment.probingRebalanceNeeded && probingRebalances < MAX_PROBES) {
    simulation.restore(RESTORED_PER_PROBING_INTERVAL);
    result = simulation.rebalance();
    probingRebalances += 1;
    restoredRecords += [...result.promotionLags.values()].reduce((sum, lag) => sum + lag, 0);
  }
  simulation.restore();
  const after = ownersOf(result.assignment.processes);
  const orphaned = [...before.values()].filter((owner) => !instances.has(owner)).length;
  return {
    name,
    instances: instances.size,
    minimumMoves: minimum,
    kstreamsMoves: movedOffSurvivors(before, after, instances),
    kstreamsMovesInFirstRebalance: movedInFirstRebalance,
    roundRobinMoves: movedOffSurvivors(roundRobinBefore, roundRobinOwners([...instances]), instances),
    orphanedTasks: orphaned,
    probingRebalances,
    restoredRecordsOnPromotion: restoredRecords,
    warmupsLeft: [...result.assignment.processes.values()].reduce((sum, process) => sum + process.warmupTasks.length, 0),
  };
}

export async function runAssignorSimulation(): Promise<BenchmarkResult[]> {
  const simulation = new AssignmentSimulation({ statefulTasks: TASKS, endOffsetSum: END_OFFSET_SUM, config });
  const instances = new Set(['A', 'B', 'C']);
  for (const instance of instances) simulation.addProcess(instance);
  let owners = ownersOf(simulation.rebalance().assignment.processes);
  simulation.restore();
  const steps: SimulationStep[] = [];
  const step = (name: string, change: () => void): void => {
    const done = runStep(simulation, instances, owners, name, change);
    steps.push(done);
    owners = ownersOf(simulation.lastAssignment()?.processes ?? new Map());
    log(`assignor simulation: ${name}: moved ${done.kstreamsMoves} (minimum ${done.minimumMoves}, round-robin ${done.roundRobinMoves}), orphaned ${done.orphanedTasks}, probing rebalances ${done.probingRebalances}, records restored on promotion ${done.restoredRecordsOnPromotion.toLocaleString('en-US')}`);
  };
  step('3 → 4: D joins', () => {
    instances.add('D');
    simulation.addProcess('D');
  });
  step('4 → 3: B stops', () => {
    instances.delete('B');
    simulation.removeProcess('B');
  });
  step('kill C (3 → 2)', () => {
    instances.delete('C');
    simulation.removeProcess('C');
  });
  const contender = (name: string, perStep: number[]) => ({ name, median: perStep.reduce((sum, value) => sum + value, 0), min: Math.min(...perStep), max: Math.max(...perStep), runs: perStep });
  return [
    writeResult({
      benchmark: 'assignor-simulation',
      unit: 'tasks moved off instances that stay (total of 3 steps; runs = per step)',
      higherIsBetter: false,
      config: { tasks: TASKS.length, threadsPerInstance: 1, numStandbyReplicas: config.numStandbyReplicas, endOffsetSumPerTask: END_OFFSET_SUM, restoredPerProbingInterval: RESTORED_PER_PROBING_INTERVAL, acceptableRecoveryLag: config.acceptableRecoveryLag, maxWarmupReplicas: config.maxWarmupReplicas },
      contenders: [
        contender('minimum possible', steps.map((done) => done.minimumMoves)),
        contender('kstreams assignor', steps.map((done) => done.kstreamsMoves)),
        contender('round-robin', steps.map((done) => done.roundRobinMoves)),
      ],
      baseline: 'minimum possible',
      details: { steps },
      renderChart: (result) => renderSimulationChart(result.benchmark, steps),
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAssignorSimulation().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`assignor simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
