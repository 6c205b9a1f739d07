import { changelogPartitionKey, type ChangelogRecord } from '@kstreams/changelog';
import { Serdes } from '@kstreams/core';
import type { ChangelogReaderClient } from '../../kafka/kafka-client.js';
import type { SumOutput } from './running-sum-topology.js';

/** What the crash suite found in the output topic and the store's changelog. */
export interface CrashOutputCheck {
  /** Input records produced. */
  readonly expected: number;
  /** Distinct input sequence numbers found in the output. */
  readonly seen: number;
  /** Expected sequence numbers missing from the output. */
  readonly lost: number;
  /** Output records beyond the first one of each sequence number. */
  readonly duplicated: number;
  /** Output records in all. */
  readonly outputRecords: number;
  /** Keys whose last output sum differs from the true sum (or that have no output). */
  readonly wrongOutputSums: number;
  /** Largest |last output sum − true sum|. */
  readonly maxOutputSumError: number;
  /** Keys whose sum in the instances' LMDB stores (the newest copy of each task) differs from the true sum. */
  readonly wrongStoreSums: number;
  /** Keys whose last value in the store's changelog (what a restore rebuilds) differs from the true sum. */
  readonly wrongChangelogSums: number;
  /** Up to 10 missing sequence numbers, for the report. */
  readonly lostSample: readonly number[];
}

/** Every committed record of the topic's partitions, read read_committed up to the last stable offset. */
export async function readCommittedTopic(reader: ChangelogReaderClient, topic: string, partitionCount: number): Promise<ChangelogRecord[][]> {
  const partitions = Array.from({ length: partitionCount }, (_, partition) => ({ topic, partition }));
  const ends = await reader.endOffsets(partitions);
  return Promise.all(
    partitions.map(async (partition) => {
      const end = ends.get(changelogPartitionKey(partition)) ?? 0;
      const records: ChangelogRecord[] = [];
      for (let offset = 0; offset < end; ) {
        const result = await reader.read(partition, { fromOffset: offset, untilOffset: end, maxRecords: 10_000 });
        if (result.outOfRange === true) throw new Error(`${changelogPartitionKey(partition)} no longer holds offset ${offset}: the check needs the whole topic.`);
        records.push(...result.records);
        offset = result.nextOffset;
      }
      return records;
    }),
  );
}

/**
 * Compares the output topic (records per partition, in offset order) and the store's changelog
 * with what `expected` input records and their `trueSums` should give.
 */
export function checkCrashOutput(options: {
  readonly expected: number;
  readonly trueSums: ReadonlyMap<string, number>;
  readonly output: readonly (readonly ChangelogRecord[])[];
  readonly changelog: readonly (readonly ChangelogRecord[])[];
  /** The sums read from the stores (see `readStoreSums`). */
  readonly storeSums: ReadonlyMap<string, number>;
}): CrashOutputCheck {
  const seen = new Set<number>();
  let outputRecords = 0;
  const lastOutputSums = new Map<string, number>();
  for (const partition of options.output) {
    for (const record of partition) {
      const value = JSON.parse(Buffer.from(record.value ?? new Uint8Array()).toString()) as SumOutput;
      outputRecords++;
      seen.add(value.seq);
      lastOutputSums.set(Buffer.from(record.key ?? new Uint8Array()).toString(), value.sum);
    }
  }
  const seenExpected = [...seen].filter((seq) => Number.isInteger(seq) && seq >= 0 && seq < options.expected).length;
  const outputErrors = sumErrors(options.trueSums, lastOutputSums);
  return {
    expected: options.expected,
    seen: seenExpected,
    lost: options.expected - seenExpected,
    duplicated: outputRecords - seen.size,
    outputRecords,
    wrongOutputSums: outputErrors.filter((error) => error !== 0).length,
    maxOutputSumError: Math.max(0, ...outputErrors.map(Math.abs)),
    wrongStoreSums: sumErrors(options.trueSums, options.storeSums).filter((error) => error !== 0).length,
    wrongChangelogSums: sumErrors(options.trueSums, lastChangelogSums(options.changelog)).filter((error) => error !== 0).length,
    lostSample: missingSequenceNumbers(seen, options.expected, 10),
  };
}

/** The store content a restore rebuilds: the last value of every key in the changelog. */
function lastChangelogSums(changelog: readonly (readonly ChangelogRecord[])[]): Map<string, number> {
  const serde = Serdes.int64Number();
  const sums = new Map<string, number>();
  for (const partition of changelog) {
    for (const record of partition) {
      const key = Buffer.from(record.key ?? new Uint8Array()).toString();
      const sum = serde.deserialize('changelog', record.value);
      if (sum === null) sums.delete(key);
      else sums.set(key, sum);
    }
  }
  return sums;
}

/** found − true for every key (a key with nothing found counts as −true). */
function sumErrors(trueSums: ReadonlyMap<string, number>, found: ReadonlyMap<string, number>): number[] {
  return [...trueSums].map(([key, sum]) => (found.get(key) ?? 0) - sum);
}

function missingSequenceNumbers(seen: ReadonlySet<number>, expected: number, limit: number): number[] {
  const missing: number[] = [];
  for (let seq = 0; seq < expected && missing.length < limit; seq++) if (!seen.has(seq)) missing.push(seq);
  return missing;
}

/** The report as a table, one line per figure. */
export function formatCrashCheck(check: CrashOutputCheck): string {
  const rows: [string, number | string][] = [
    ['expected', check.expected],
    ['seen', check.seen],
    ['lost', check.lost],
    ['duplicated', check.duplicated],
    ['output records', check.outputRecords],
    ['wrong sums (last output)', check.wrongOutputSums],
    ['max sum error (last output)', check.maxOutputSumError],
    ['wrong sums (LMDB stores)', check.wrongStoreSums],
    ['wrong sums (store changelog)', check.wrongChangelogSums],
  ];
  if (check.lost > 0) rows.push(['first lost seqs', check.lostSample.join(', ')]);
  return rows.map(([name, value]) => `${name.padEnd(30)} ${value}`).join('\n');
}
