import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { renderBarChart } from './svg-chart.js';

/** One contender's measurements, in the benchmark's unit. */
export interface ContenderResult {
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
  /** Why the contender did not run (e.g. a configuration it does not support yet); its figures are 0. */
  readonly rejected?: string;
}

/** A benchmark result, as documented in shared/design/BENCHMARKS.md. */
export interface BenchmarkResult {
  readonly benchmark: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly config: Record<string, unknown>;
  readonly machine: { cpus: number; node: string } & Record<string, unknown>;
  readonly contenders: readonly ContenderResult[];
  readonly ratios: Record<string, number>;
  /** Further results a benchmark reports beyond the contenders' numbers. */
  readonly details?: Record<string, unknown>;
}

/** True when `BENCH_SHORT=1`: the few-seconds mode CI runs to keep the suite working. */
export const isShortMode = process.env['BENCH_SHORT'] === '1';

// Short-mode results only prove the suite runs; they go to results/short/ (ignored by git) so a
// CI or local short run never overwrites the committed full-mode results.
/** Where results are written: results/, or results/short/ in short mode. */
export const resultsDirectory = fileURLToPath(new URL(isShortMode ? '../results/short/' : '../results/', import.meta.url));

/** Median, min and max of one contender's runs. */
export function summarise(name: string, runs: readonly number[]): ContenderResult {
  const sorted = [...runs].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { name, median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, runs };
}

/**
 * Builds the result with every contender's ratio to `baseline` (`<contender>/<baseline>`) and
 * writes `results/<benchmark>.json` and `results/<benchmark>.svg`.
 */
export function writeResult(options: {
  benchmark: string;
  unit: string;
  config: Record<string, unknown>;
  contenders: readonly ContenderResult[];
  baseline: string;
  /** Ratios measured another way (e.g. paired per round); default: ratios of the medians. */
  ratios?: Record<string, number>;
  /** More `<contender>/<other>` ratios beside those to the baseline. */
  ratioPairs?: readonly (readonly [string, string])[];
  /** More about the machine (Java version, load). */
  machine?: Record<string, unknown>;
  /** False for times, latencies and counts (default true: throughput). */
  higherIsBetter?: boolean;
  details?: Record<string, unknown>;
  /** The chart to write instead of the default bar chart. */
  renderChart?: (result: BenchmarkResult) => string;
}): BenchmarkResult {
  const baseline = options.contenders.find((contender) => contender.name === options.baseline);
  const ratios: Record<string, number> = {};
  for (const contender of options.contenders) {
    if (baseline === undefined || contender === baseline || baseline.median === 0 || contender.rejected !== undefined) continue;
    const key = `${contender.name}/${baseline.name}`;
    ratios[key] = round(options.ratios?.[key] ?? contender.median / baseline.median);
  }
  for (const [name, other] of options.ratioPairs ?? []) {
    const numerator = options.contenders.find((contender) => contender.name === name);
    const denominator = options.contenders.find((contender) => contender.name === other);
    if (numerator?.rejected === undefined && denominator !== undefined && denominator.median > 0 && numerator !== undefined) ratios[`${name}/${other}`] = round(numerator.median / denominator.median);
  }
  const result: BenchmarkResult = {
    benchmark: options.benchmark,
    unit: options.unit,
    higherIsBetter: options.higherIsBetter ?? true,
    config: { ...options.config, short: isShortMode },
    machine: { cpus: cpus().length, node: process.version, ...options.machine },
    contenders: options.contenders.map((contender) => ({
      ...contender,
      median: Math.round(contender.median),
      min: Math.round(contender.min),
      max: Math.round(contender.max),
      runs: contender.runs.map(Math.round),
    })),
    ratios,
    ...(options.details === undefined ? {} : { details: options.details }),
  };
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(`${resultsDirectory}${options.benchmark}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${resultsDirectory}${options.benchmark}.svg`, (options.renderChart ?? renderBarChart)(result));
  return result;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
