/**
 * Runs every benchmark in turn (`pnpm bench`; `BENCH_SHORT=1` for the few-seconds CI mode): the
 * store micro-benchmarks, the producer, the restore path, the assignor, and the side-by-side suite with Java
 * Kafka Streams (W0–W5, whose W1 includes the raw kafkajs pipe of `bench:pipeline`).
 */
import { runAssignorBenchmark } from './assignor-bench.js';
import { runAssignorSimulation } from './assignor-simulation.js';
import { runProducerBenchmark } from './producer-bench.js';
import { runRestoreBenchmark } from './restore-bench.js';
import { runStoreBenchmark } from './store-bench.js';
import { runTelemetryBenchmark } from './telemetry-bench.js';
import { runSideBySideBenchmark } from './suite/side-by-side-bench.js';

const results = [
  ...(await runStoreBenchmark()),
  ...(await runProducerBenchmark()),
  ...(await runRestoreBenchmark()),
  ...(await runAssignorBenchmark()),
  ...(await runAssignorSimulation()),
  ...(await runTelemetryBenchmark()),
  ...(await runSideBySideBenchmark()),
];
for (const result of results) {
  const medians = result.contenders.map((contender) => `${contender.name} ${contender.rejected === undefined ? contender.median.toLocaleString('en-US') : 'rejected'}`).join(', ');
  process.stdout.write(`${result.benchmark} (${result.unit}): ${medians}; ratios ${JSON.stringify(result.ratios)}
`);
}
