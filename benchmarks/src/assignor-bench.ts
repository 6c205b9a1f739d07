/**
 * The assignor benchmark (issue 11): how long `assignTasks` from `@kstreams/assignor` takes for
 * 10,000 stateful tasks (10 sub-topologies × 1,000 partitions, one standby each) over 100
 * instances of 4 threads, in four situations: a fresh start, the steady state (every task where
 * it ran, standbys caught up), a 101st instance joining (warm-ups, probing), and one instance
 * killed. The floor beside it is a plain round-robin of the same tasks over the same threads.
 * Measured as CPU time of this process (`process.cpuUsage`), because the machine is shared and
 * wall time mostly measures the other tenants; wall time is recorded too. Warm-up, then
 * alternating runs, median of 7. Target: under 100 ms.
 *
 * `pnpm --filter @kstreams/benchmarks run bench:assignor`, or with `BENCH_SHORT=1` (1,000 tasks × 10 instances).
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { assignorConfig, assignTasks, LATEST_OFFSET, type ProcessState, type TaskAssignment, type TaskAssignmentInput } from '@kstreams/assignor';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';

const TASKS = isShortMode ? 1_000 : 10_000;
const INSTANCES = isShortMode ? 10 : 100;
const THREADS = 4;
const SUBTOPOLOGIES = 10;
const MEASURED_RUNS = isShortMode ? 3 : 7;
const END_OFFSET_SUM = 1_000_000;

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const config = assignorConfig({ numStandbyReplicas: 1 });
const tasks = [...Array(TASKS).keys()].map((index) => `${index % SUBTOPOLOGIES}_${Math.floor(index / SUBTOPOLOGIES)}`);
const endOffsetSums = new Map(tasks.map((task) => [task, END_OFFSET_SUM]));

function processId(index: number): string {
  return `instance-${String(index).padStart(3, '0')}`;
}

function newProcess(index: number): ProcessState {
  const members = [...Array(THREADS).keys()].map((thread) => ({ memberId: `${processId(index)}-${thread}`, ownedActiveTasks: [], ownedStandbyTasks: [] }));
  return { processId: processId(index), members, taskOffsetSums: new Map() };
}

function inputOf(processes: readonly ProcessState[]): TaskAssignmentInput {
  return { processes, statefulTasks: tasks, statelessTasks: [], changelogEndOffsetSums: endOffsetSums, config };
}

/** What each instance reports after `assignment` ran a while: actives running, standbys caught up. */
function settled(processes: readonly ProcessState[], assignment: TaskAssignment): ProcessState[] {
  return processes.map((process) => {
    const assigned = assignment.processes.get(process.processId);
    const members = process.members.map((member) => {
      const owned = assignment.members.get(member.memberId);
      return { memberId: member.memberId, ownedActiveTasks: owned?.activeTasks ?? [], ownedStandbyTasks: owned?.standbyTasks ?? [] };
    });
    const offsetSums = new Map<string, number>([
      ...(assigned?.activeTasks ?? []).map((task): [string, number] => [task, LATEST_OFFSET]),
      ...(assigned?.standbyTasks ?? []).map((task): [string, number] => [task, END_OFFSET_SUM - 100]),
    ]);
    return { ...process, members, taskOffsetSums: offsetSums };
  });
}

/** The floor: every task to the next thread in turn, no state, no standbys. */
function roundRobin(input: TaskAssignmentInput): Map<string, string[]> {
  const members = input.processes.flatMap((process) => process.members.map((member) => member.memberId)).sort();
  const byMember = new Map(members.map((member) => [member, [] as string[]]));
  input.statefulTasks.forEach((task, position) => byMember.get(members[position % members.length] as string)?.push(task));
  return byMember;
}

function scenarios(): { name: string; run: () => unknown }[] {
  const fresh = [...Array(INSTANCES).keys()].map(newProcess);
  const steady = settled(fresh, assignTasks(inputOf(fresh)));
  const joined = [...steady, newProcess(INSTANCES)];
  const killed = steady.slice(1);
  // The first one is the chart's and the ratios' baseline.
  return [
    { name: 'steady state', run: () => assignTasks(inputOf(steady)) },
    { name: 'fresh start', run: () => assignTasks(inputOf(fresh)) },
    { name: 'instance joins', run: () => assignTasks(inputOf(joined)) },
    { name: 'instance killed', run: () => assignTasks(inputOf(killed)) },
    { name: 'round-robin floor', run: () => roundRobin(inputOf(steady)) },
  ];
}

function measure(run: () => unknown): { cpuMs: number; wallMs: number } {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - started };
}

export async function runAssignorBenchmark(): Promise<BenchmarkResult[]> {
  const cases = scenarios();
  for (const scenario of cases) measure(scenario.run);
  const cpuRuns = new Map(cases.map((scenario) => [scenario.name, [] as number[]]));
  const wallRuns = new Map(cases.map((scenario) => [scenario.name, [] as number[]]));
  for (let round = 0; round < MEASURED_RUNS; round++) {
    const order = round % 2 === 0 ? cases : [...cases].reverse();
    for (const scenario of order) {
      const { cpuMs, wallMs } = measure(scenario.run);
      cpuRuns.get(scenario.name)?.push(cpuMs);
      wallRuns.get(scenario.name)?.push(wallMs);
    }
  }
  const precise = (values: readonly number[]): number[] => values.map((value) => Math.round(value * 10) / 10);
  const contenders = cases.map((scenario) => ({ ...summarise(scenario.name, cpuRuns.get(scenario.name) ?? []), wallMsMedian: summarise(scenario.name, wallRuns.get(scenario.name) ?? []).median }));
  for (const contender of contenders) log(`assignor: ${contender.name}: cpu ${contender.median.toFixed(1)} ms (runs ${precise(contender.runs).join(', ')}), wall ${contender.wallMsMedian.toFixed(1)} ms`);
  return [
    writeResult({
      benchmark: 'assignor',
      unit: 'cpu ms per assignment',
      higherIsBetter: false,
      config: {
        tasks: TASKS,
        subtopologies: SUBTOPOLOGIES,
        instances: INSTANCES,
        threadsPerInstance: THREADS,
        numStandbyReplicas: config.numStandbyReplicas,
        measuredRuns: MEASURED_RUNS,
        targetMs: 100,
        loadAverageAtEnd: loadavg().map((load) => Math.round(load * 10) / 10),
        wallMsMedian: Object.fromEntries(contenders.map((contender) => [contender.name, Math.round(contender.wallMsMedian * 10) / 10])),
        cpuMsMedianPrecise: Object.fromEntries(contenders.map((contender) => [contender.name, Math.round(contender.median * 10) / 10])),
      },
      contenders,
      baseline: 'steady state',
    }),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAssignorBenchmark().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`assignor benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
