import { pathToFileURL } from 'node:url';
import { Headers, Serdes, StreamTask, Topology, type OutgoingRecord, type Processor, type ProcessorContext, type RawRecord, type Record, type TaskConfig } from '@kstreams/core';
import { StreamsTelemetry } from '@kstreams/metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';

/** A metric reader that only keeps the SDK's aggregations in memory (collected once at the end). */
class HeldReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

interface Contender {
  readonly name: string;
  /** The engine settings for one run; `undefined` runs the task without any telemetry wiring. */
  readonly engine: () => Pick<TaskConfig, 'processorWrapper' | 'metrics'> | undefined;
}

function contenders(): Contender[] {
  const sdk = () => new MeterProvider({ readers: [new HeldReader()] });
  return [
    { name: 'no-telemetry', engine: () => undefined },
    { name: 'no-sdk', engine: () => new StreamsTelemetry().engineTelemetry('bench-thread') },
    { name: 'sdk-info', engine: () => new StreamsTelemetry({ meterProvider: sdk() }).engineTelemetry('bench-thread') },
    { name: 'sdk-debug', engine: () => new StreamsTelemetry({ meterProvider: sdk(), recordingLevel: 'DEBUG' }).engineTelemetry('bench-thread') },
    // Spans are created and ended (sampled), with no exporter: the cost of tracing itself.
    { name: 'sdk-debug-tracing', engine: () => new StreamsTelemetry({ meterProvider: sdk(), recordingLevel: 'DEBUG', tracing: { tracerProvider: new BasicTracerProvider() } }).engineTelemetry('bench-thread') },
  ];
}

/** W1's work: drop about 10 % of the records, add a field to the rest. */
class Filter implements Processor<string | null, string | null, string | null, string | null> {
  #context!: ProcessorContext<string | null, string | null>;
  init(context: ProcessorContext<string | null, string | null>): void {
    this.#context = context;
  }
  process(record: Record<string | null, string | null>): void {
    if ((record.value ?? '').charCodeAt(9) % 10 !== 0) this.#context.forward(record);
  }
}

class AddField implements Processor<string | null, string | null, string | null, string> {
  #context!: ProcessorContext<string | null, string>;
  init(context: ProcessorContext<string | null, string>): void {
    this.#context = context;
  }
  process(record: Record<string | null, string | null>): void {
    const value = JSON.parse(record.value ?? '{}') as { [field: string]: unknown };
    value['seen'] = true;
    this.#context.forward(record.withValue(JSON.stringify(value)));
  }
}

function w1Model() {
  return new Topology()
    .addSource('in', { topics: ['w1-input'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('filter', () => new Filter(), 'in')
    .addProcessor('add-field', () => new AddField(), 'filter')
    .addSink('out', 'w1-output', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'add-field')
    .build();
}

/** W1 records: keys uniform over 1M, ~100-byte JSON values. */
function w1Records(count: number): RawRecord[] {
  const encoder = new TextEncoder();
  return Array.from({ length: count }, (_, index) => {
    const key = `key-${(Math.imul(index, 2_654_435_761) >>> 0) % 1_000_000}`;
    const value = JSON.stringify({ id: index, kind: 'order', amount: index % 977, note: 'x'.repeat(40) });
    return { topic: 'w1-input', partition: 0, offset: index, timestamp: 1_700_000_000_000 + index, headers: new Headers(), key: encoder.encode(key), value: encoder.encode(value) };
  });
}

/** One run: a fresh task processes every record (in steps of 1,000, as the runtime does); returns records/s. */
async function runOnce(contender: Contender, records: readonly RawRecord[]): Promise<number> {
  let sent = 0;
  const collector = { send: (_record: OutgoingRecord) => void sent++, flush: () => undefined };
  const engine = contender.engine();
  const task = new StreamTask({ taskId: { subtopology: 0, partition: 0 }, model: w1Model(), config: { applicationId: 'w1-bench', ...engine }, collector });
  await task.initialize();
  const started = performance.now();
  for (let start = 0; start < records.length; start += 1_000) {
    task.addRecords('w1-input', 0, records.slice(start, start + 1_000));
    await task.process();
  }
  const elapsedMs = performance.now() - started;
  await task.close();
  if (sent < records.length * 0.85 || sent > records.length * 0.95) throw new Error(`${contender.name} produced ${sent} of ${records.length} records; expected about 90 %.`);
  return (records.length * 1000) / elapsedMs;
}

/**
 * Telemetry overhead on W1 (filter → add a field → sink) through the task engine in process:
 * no telemetry at all, kstreams' instruments without an SDK (the API's no-ops), the SDK at INFO,
 * at DEBUG (per-node, per-task and store metrics), and DEBUG with a span per record. Contenders
 * alternate after a warm-up; medians and ratios to `no-telemetry` go to results/telemetry-overhead.
 */
export async function runTelemetryBenchmark(): Promise<BenchmarkResult[]> {
  const count = Number(process.env['BENCH_RECORDS'] ?? (isShortMode ? 20_000 : 60_000));
  const rounds = isShortMode ? 3 : Number(process.env['BENCH_ROUNDS'] ?? 15);
  const records = w1Records(count);
  const all = contenders();
  for (const contender of all) await runOnce(contender, records.slice(0, Math.min(count, 20_000)));
  const runs = new Map(all.map((contender) => [contender.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < all.length; offset++) {
      const contender = all[(round + offset) % all.length] as Contender;
      runs.get(contender.name)?.push(await runOnce(contender, records));
    }
  }
  return [
    writeResult({
      benchmark: 'telemetry-overhead',
      unit: 'records/s',
      config: {
        workload: 'W1 stateless (filter 10 %, add a field) through StreamTask, no broker',
        records: count,
        rounds,
        valueBytes: 100,
        ratios: 'median over rounds of each round\'s ratio to no-telemetry (paired: a shared machine moves every contender of a round alike)',
      },
      contenders: all.map((contender) => summarise(contender.name, runs.get(contender.name) ?? [])),
      baseline: 'no-telemetry',
      ratios: pairedRatios(runs, 'no-telemetry'),
    }),
  ];
}

/** Per contender, the median over rounds of its run's ratio to the baseline's run of the same round. */
function pairedRatios(runs: ReadonlyMap<string, readonly number[]>, baselineName: string): { [pair: string]: number } {
  const baseline = runs.get(baselineName) ?? [];
  const ratios: { [pair: string]: number } = {};
  for (const [name, series] of runs) {
    if (name === baselineName) continue;
    ratios[`${name}/${baselineName}`] = summarise(name, series.map((value, round) => value / (baseline[round] ?? Number.NaN))).median;
  }
  return ratios;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await runTelemetryBenchmark()) {
    const medians = result.contenders.map((contender) => `${contender.name} ${contender.median.toLocaleString('en-US')}`).join(', ');
    process.stdout.write(`${result.benchmark} (${result.unit}): ${medians}; ratios ${JSON.stringify(result.ratios)}\n`);
  }
}
