/** The suite's combined summary: one markdown table of every workload, in results/README.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isShortMode, resultsDirectory, type BenchmarkResult } from '../bench-results.js';

const COMMAND = `${isShortMode ? 'BENCH_SHORT=1 ' : ''}bash scripts/pnpm.sh --filter @kstreams/benchmarks run bench:suite`;

const number = (value: unknown): string => (typeof value === 'number' ? Math.round(value).toLocaleString('en-US') : '–');
const decimal = (value: unknown): string => (typeof value === 'number' ? value.toFixed(1) : '–');

/** The 1-minute load average when the result was written. */
function load(result: BenchmarkResult): string {
  const average = result.machine['loadAverageNow'];
  return Array.isArray(average) ? String(average[0]) : '–';
}

function workloadRows(result: BenchmarkResult): string[] {
  const java = result.contenders.find((contender) => contender.name === 'java-kafka-streams');
  return result.contenders.map((contender) => {
    const extra = contender as unknown as Record<string, unknown>;
    if (contender.rejected !== undefined) return `| ${result.benchmark} | ${contender.name} | rejected: ${contender.rejected} | | | | | ${load(result)} |`;
    const ratio = java === undefined || java.median === 0 || contender === java ? '' : `${(contender.median / java.median).toFixed(2)}`;
    const cpuRatio = java === undefined || contender === java ? '' : ` (${((extra['cpuSeconds'] as number) / ((java as unknown as Record<string, number>)['cpuSeconds'] ?? 1)).toFixed(2)}×)`;
    const rssRatio = java === undefined || contender === java ? '' : ` (${((extra['peakRssMb'] as number) / ((java as unknown as Record<string, number>)['peakRssMb'] ?? 1)).toFixed(2)}×)`;
    return (
      `| ${result.benchmark} | ${contender.name} | ${number(contender.median)} (${number(contender.min)}–${number(contender.max)}) | ${number(extra['recordsPerSecondFromStart'])} | ` +
      `${decimal(extra['cpuSeconds'])}${cpuRatio} | ${number(extra['peakRssMb'])}${rssRatio} | ${ratio} | ${load(result)} |`
    );
  });
}

function restoreRows(result: BenchmarkResult): string[] {
  return result.contenders.map((contender) => {
    const extra = contender as unknown as Record<string, unknown>;
    return `| ${contender.name} | ${number(contender.median)} (${number(contender.min)}–${number(contender.max)}) | ${decimal(extra['megabytesPerSecond'])} | ${decimal(extra['resumeSeconds'])} | ${number(extra['restoredRecords'])} | ${decimal(extra['cpuSeconds'])} | ${number(extra['peakRssMb'])} |`;
  });
}

/** Which results ran the kstreams-side contenders compiled (every run since they are compiled; earlier JSONs lack the field). */
function compiledNote(results: readonly BenchmarkResult[]): string {
  const viaTsx = results.filter((result) => result.machine['kstreamsContenders'] === undefined).map((result) => result.benchmark);
  const except = viaTsx.length === 0 ? '' : `, except in ${viaTsx.join(', ')} (earlier runs, through tsx on the TypeScript sources: about 116 MiB more peak RSS and more start-up CPU)`;
  return `The kstreams-side contenders run as compiled JavaScript (\`benchmarks/dist/suite/\`, see benchmarks/README.md)${except}.`;
}

const SUITE_BENCHMARKS = ['w0-ceiling', 'w1-stateless', 'w2-count', 'w2b-count-commit-1s', 'w3-cold-state', 'w4-exactly-once', 'w4-exactly-once-alpha', 'w4-latency', 'w5-restore'];

/** Writes results/README.md (results/short/README.md in short mode) from the suite's result files. */
export function writeSummary(): void {
  const results = SUITE_BENCHMARKS.filter((name) => existsSync(`${resultsDirectory}${name}.json`)).map((name) => JSON.parse(readFileSync(`${resultsDirectory}${name}.json`, 'utf8')) as BenchmarkResult);
  const ceiling = results.find((result) => result.benchmark === 'w0-ceiling');
  const restore = results.find((result) => result.benchmark === 'w5-restore');
  const latency = results.find((result) => result.benchmark === 'w4-latency');
  const workloads = results.filter((result) => result !== ceiling && result !== restore && result !== latency);
  const first = workloads[0];
  const machine = first?.machine ?? { cpus: 0, node: '' };
  const lines = [
    '# Side-by-side benchmark results',
    '',
    `Produced by \`${COMMAND}\` (suite in \`benchmarks/src/suite/\`); per-workload JSON and SVG beside this file.`,
    `kstreams at commit ${String(machine['commit'] ?? 'unknown')}. Machine: ${machine.cpus} CPUs, Node ${machine.node}, Java ${String(machine['java'])}; 1-minute load average when each result was written in the last column (\`uptime\` in each JSON).`,
    `The machine is shared with other work: absolute numbers move with its load, the ratios measured side by side in one run are what count.`,
    compiledNote(results.filter((result) => result !== ceiling)),
    `Records per workload: ${String(first?.config['records'] ?? '')}${typeof first?.config['recordsNote'] === 'string' ? ` (${first.config['recordsNote']})` : ''}; ${String(first?.config['measuredRuns'] ?? '')} measured round(s), medians (min–max).`,
    '',
    '| workload | contender | records/s from RUNNING | records/s from start | CPU-s (vs Java) | peak RSS MiB (vs Java) | rec/s vs Java | load |',
    '|---|---|---|---|---|---|---|---|',
    ...workloads.flatMap(workloadRows),
    '',
  ];
  const rawRatio = workloads.find((result) => result.ratios['kstreams/raw-kafkajs'] !== undefined)?.ratios['kstreams/raw-kafkajs'];
  if (rawRatio !== undefined) lines.push(`kstreams / raw kafkajs on W1: ${rawRatio}.`, '');
  if (restore !== undefined) {
    lines.push(
      '## W5 restore (after W3, local state wiped)',
      '',
      '| contender | restore records/s | MB/s | resumed after (s from start) | records restored | CPU-s | peak RSS MiB |',
      '|---|---|---|---|---|---|---|',
      ...restoreRows(restore),
      '',
    );
  }
  if (latency !== undefined) {
    lines.push('## W4 latency (exactly-once, commit 100 ms, steady input)', '', String(latency.config['workload']), '', '| contender | p99 ms | p50 ms |', '|---|---|---|');
    for (const contender of latency.contenders) {
      const p50 = (contender as unknown as Record<string, unknown>)['p50Ms'];
      lines.push(contender.rejected === undefined ? `| ${contender.name} | ${number(contender.median)} (${number(contender.min)}–${number(contender.max)}) | ${number(p50)} |` : `| ${contender.name} | rejected | |`);
    }
    lines.push('');
  }
  if (ceiling !== undefined) {
    lines.push('## W0 ceiling (Kafka\'s own perf tools, 100 B records, acks=all)', '', '| tool | records/s |', '|---|---|');
    for (const contender of ceiling.contenders) lines.push(`| ${contender.name} | ${number(contender.median)} (${number(contender.min)}–${number(contender.max)}) |`);
    lines.push('');
  }
  writeFileSync(`${resultsDirectory}README.md`, lines.join('\n'));
}
