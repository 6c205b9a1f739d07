/** Runs every benchmark in turn (`pnpm bench`; `BENCH_SHORT=1` for the few-seconds CI mode). */
import { runAssignorBenchmark } from './assignor-bench.js';
import { runAssignorSimulation } from './assignor-simulation.js';
import { runPipelineBenchmark } from './pipeline-bench.js';
import { runProducerBenchmark } from './producer-bench.js';
import { runRestoreBenchmark } from './restore-bench.js';
import { runStoreBenchmark } from './store-bench.js';
import { runTelemetryBenchmark } from './telemetry-bench.js';

const results = [
  ...(await runStoreBenchmark()),
  ...(await runPipelineBenchmark()),
  ...(await runProducerBenchmark()),
  ...(await runRestoreBenchmark()),
  ...(await runAssignorBenchmark()),
  ...(await runAssignorSimulation()),
  ...(await runTelemetryBenchmark()),
];
for (const result of results) {
  const medians = result.contenders.map((contender) => `${contender.name} ${contender.median.toLocaleString('en-US')}`).join(', ');
  process.stdout.write(`${result.benchmark} (${result.unit}): ${medians}; ratios ${JSON.stringify(result.ratios)}\n`);
}
