/**
 * The workloads of the side-by-side suite (shared/design/BENCHMARKS.md), their input records
 * (the same bytes for every contender) and the output each must produce.
 */
import { isShortMode } from '../bench-results.js';

/** The workloads a contender process runs: stateless, count per key, aggregate. */
export type Topology = 'w1' | 'w2' | 'w3';

/** One workload: its topology, input shape and the settings every contender gets. */
export interface Workload {
  /** Benchmark name, also the results file name. */
  readonly name: string;
  readonly title: string;
  readonly topology: Topology;
  readonly input: InputShape;
  readonly commitIntervalMs: number;
  readonly guarantee: 'at_least_once' | 'exactly_once_v2';
}

/** The pre-filled input of one or more workloads. */
export interface InputShape {
  readonly name: string;
  readonly records: number;
  readonly keys: number;
  readonly valueBytes: number;
  readonly partitions: number;
}

/** Records per input in a full run: BENCHMARKS.md says 5M; 1M keeps a full run within the hour on this shared 2-core box. */
export const FULL_RECORDS = Number(process.env['BENCH_RECORDS'] ?? 1_000_000);
const RECORDS = isShortMode ? 20_000 : FULL_RECORDS;
const PARTITIONS = 8;

const STATELESS_INPUT: InputShape = { name: 'stateless', records: RECORDS, keys: 1_000_000, valueBytes: 100, partitions: PARTITIONS };
const HOT_INPUT: InputShape = { name: 'hot', records: RECORDS, keys: 10_000, valueBytes: 100, partitions: PARTITIONS };
const COLD_INPUT: InputShape = { name: 'cold', records: RECORDS, keys: 2_000_000, valueBytes: 256, partitions: PARTITIONS };

export const W1: Workload = { name: 'w1-stateless', title: 'W1 filter + map (JSON)', topology: 'w1', input: STATELESS_INPUT, commitIntervalMs: 30_000, guarantee: 'at_least_once' };
export const W2: Workload = { name: 'w2-count', title: 'W2 count, 10k keys, commit 30 s', topology: 'w2', input: HOT_INPUT, commitIntervalMs: 30_000, guarantee: 'at_least_once' };
export const W2B: Workload = { name: 'w2b-count-commit-1s', title: 'W2b count, 10k keys, commit 1 s', topology: 'w2', input: HOT_INPUT, commitIntervalMs: 1_000, guarantee: 'at_least_once' };
export const W3: Workload = { name: 'w3-cold-state', title: 'W3 aggregate, 2M-key space × 256 B', topology: 'w3', input: COLD_INPUT, commitIntervalMs: 30_000, guarantee: 'at_least_once' };
export const W4: Workload = { name: 'w4-exactly-once', title: 'W4 count under exactly-once v2, commit 100 ms', topology: 'w2', input: HOT_INPUT, commitIntervalMs: 100, guarantee: 'exactly_once_v2' };
/**
 * W4 with a third contender, kstreams under the deprecated `exactly_once` (a transactional
 * producer per task; Java Kafka Streams 4.x no longer has it, so Java runs `exactly_once_v2`).
 * Runs only when named: `BENCH_ONLY=w4-exactly-once-alpha`.
 */
export const W4_ALPHA: Workload = { ...W4, name: 'w4-exactly-once-alpha', title: 'W4 count, kstreams exactly_once (a producer per task) vs exactly_once_v2, commit 100 ms' };

/** The key of input record `sequence`: spread uniformly over `keys` keys by a multiplicative hash. */
export function inputKey(sequence: number, keys: number): string {
  return `key-${(Math.imul(sequence, 2_654_435_761) >>> 0) % keys}`;
}

/** The "amount" field of input record `sequence`, summed by W3. */
export function inputAmount(sequence: number): number {
  return sequence % 1000;
}

/** The JSON value of input record `sequence`, padded to exactly `valueBytes`. */
export function inputValue(sequence: number, valueBytes: number): Buffer {
  const head = `{"seq":${sequence},"amount":${inputAmount(sequence)},"pad":"`;
  return Buffer.from(`${head}${'x'.repeat(valueBytes - head.length - 2)}"}`, 'latin1');
}

/** W1's filter: drops every tenth record. */
export function keepsRecord(sequence: number): boolean {
  return sequence % 10 !== 0;
}

/** W1: how many records the filter keeps. */
export function expectedStatelessOutput(records: number): number {
  let kept = 0;
  for (let sequence = 0; sequence < records; sequence++) if (keepsRecord(sequence)) kept++;
  return kept;
}

/** W2: the final count of every key. */
export function expectedCounts(input: InputShape): Map<string, number> {
  const counts = new Map<string, number>();
  for (let sequence = 0; sequence < input.records; sequence++) {
    const key = inputKey(sequence, input.keys);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** W3: the final count and amount sum of every key, as `count:sum`. */
export function expectedAggregates(input: InputShape): Map<string, string> {
  const totals = new Map<string, [number, number]>();
  for (let sequence = 0; sequence < input.records; sequence++) {
    const key = inputKey(sequence, input.keys);
    const total = totals.get(key) ?? [0, 0];
    total[0] += 1;
    total[1] += inputAmount(sequence);
    totals.set(key, total);
  }
  return new Map([...totals].map(([key, [count, sum]]) => [key, `${count}:${sum}`]));
}

/** The W3 aggregate's bytes: count and sum as 8-byte big-endian integers, then the last value. */
export function encodeAggregate(count: number, sum: number, last: Uint8Array): Buffer {
  const bytes = Buffer.allocUnsafe(16 + last.length);
  bytes.writeBigInt64BE(BigInt(count), 0);
  bytes.writeBigInt64BE(BigInt(sum), 8);
  bytes.set(last, 16);
  return bytes;
}

/** `count:sum` of a W3 aggregate. */
export function describeAggregate(bytes: Buffer): string {
  return `${Number(bytes.readBigInt64BE(0))}:${Number(bytes.readBigInt64BE(8))}`;
}
