import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isShortMode, summarise, writeResult, type BenchmarkResult } from './bench-results.js';
import { storeContenders, type StoreContender } from './store-contenders.js';

const OPERATIONS = ['put', 'get', 'range'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Deterministic 16-byte keys in a scrambled order (multiplicative hash in the first bytes). */
function makeKeys(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) => {
    const key = Buffer.alloc(16);
    key.writeUInt32BE(Math.imul(index, 2_654_435_761) >>> 0, 0);
    key.writeUInt32BE(index, 12);
    return key;
  });
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  let seed = 42;
  for (let index = copy.length - 1; index > 0; index--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const other = seed % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** One run of one contender: ops/s of put (incl. the final flush), get and a full range scan. */
async function runOnce(contender: StoreContender, keys: readonly Buffer[], lookups: readonly Buffer[]) {
  const directory = mkdtempSync(join(tmpdir(), 'kstreams-bench-'));
  const value = Buffer.alloc(100, 0x61);
  const store = contender.open(directory);
  try {
    const putStart = performance.now();
    store.putAll(keys, value);
    const putMs = performance.now() - putStart;
    const getStart = performance.now();
    const found = store.getAll(lookups);
    const getMs = performance.now() - getStart;
    const rangeStart = performance.now();
    const scanned = store.scanAll();
    const rangeMs = performance.now() - rangeStart;
    if (found !== lookups.length || scanned !== keys.length) {
      throw new Error(`${contender.name} found ${found}/${lookups.length} keys and scanned ${scanned}/${keys.length}`);
    }
    const perSecond = (milliseconds: number): number => (keys.length * 1000) / milliseconds;
    return { put: perSecond(putMs), get: perSecond(getMs), range: perSecond(rangeMs) };
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Store micro-benchmark: 1M (short mode 20k; `BENCH_KEYS` overrides) puts, gets and a range scan
 * with 16-byte keys and 100-byte values, every contender side by side: a warm-up, then rounds that alternate the
 * contenders; medians and ratios to raw lmdb-js go to results/store-{put,get,range}.json/.svg.
 */
export async function runStoreBenchmark(): Promise<BenchmarkResult[]> {
  const keyCount = Number(process.env['BENCH_KEYS'] ?? (isShortMode ? 20_000 : 1_000_000));
  const rounds = isShortMode ? 3 : Number(process.env['BENCH_ROUNDS'] ?? 3);
  const keys = makeKeys(keyCount);
  const lookups = shuffled(keys);
  const contenders = storeContenders();
  const warmUpKeys = keys.slice(0, Math.min(keyCount, 20_000));
  for (const contender of contenders) await runOnce(contender, warmUpKeys, warmUpKeys);

  const runs = new Map<string, Record<Operation, number[]>>();
  for (const contender of contenders) runs.set(contender.name, { put: [], get: [], range: [] });
  for (let round = 0; round < rounds; round++) {
    // Rotate the start so no contender always runs first (or right after a garbage-heavy one).
    for (let offset = 0; offset < contenders.length; offset++) {
      const contender = contenders[(round + offset) % contenders.length] as StoreContender;
      const result = await runOnce(contender, keys, lookups);
      const series = runs.get(contender.name) as Record<Operation, number[]>;
      for (const operation of OPERATIONS) series[operation].push(result[operation]);
      process.stderr.write(`round ${round + 1}/${rounds} ${contender.name}: ${format(result)}\n`);
    }
  }
  return OPERATIONS.map((operation) =>
    writeResult({
      benchmark: `store-${operation}`,
      unit: 'ops/s',
      config: { keys: keyCount, keyBytes: 16, valueBytes: 100, rounds, operation },
      contenders: contenders.map((contender) => summarise(contender.name, runs.get(contender.name)?.[operation] ?? [])),
      baseline: 'raw-lmdb',
    }),
  );
}

function format(result: Record<Operation, number>): string {
  return OPERATIONS.map((operation) => `${operation} ${Math.round(result[operation]).toLocaleString('en-US')}/s`).join(', ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runStoreBenchmark();
  for (const result of results) process.stdout.write(`${result.benchmark}: ${JSON.stringify(result.ratios)}\n`);
}
