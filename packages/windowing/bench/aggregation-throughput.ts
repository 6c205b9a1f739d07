/**
 * Records per CPU millisecond through the test driver for the windowing processors, each
 * against the plain key-value count as a baseline measured in the same run (median of 3):
 * tumbling and hopping windowed counts, session count, sliding count, and a stream-stream join.
 * Run: node --conditions source --import tsx packages/windowing/bench/aggregation-throughput.ts [records]
 */
import { Serdes, Topology, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { addStreamStreamJoin, addWiredProcessor, count, JoinWindows, sessionCount, SessionWindows, slidingCount, SlidingWindows, TimeWindows, windowedCount, type WiredProcessor } from '../src/index.js';

const strings = { keySerde: Serdes.string(), valueSerde: Serdes.string() };
const store = { storeName: 'store', backend: inMemoryBackend(), keySerde: Serdes.string(), aggregateSerde: Serdes.int64() };

function single(wired: WiredProcessor<string | null, string | null, unknown, unknown>): { driver: TopologyTestDriver; topics: string[] } {
  const base = new Topology().addSource('in', { topics: ['in'], ...strings });
  const topology = addWiredProcessor(base, 'op', wired, 'in').addProcessor('sink', () => ({ process: (_record: Record<unknown, unknown>) => undefined }), 'op');
  return { driver: new TopologyTestDriver(topology), topics: ['in'] };
}

function join(): { driver: TopologyTestDriver; topics: string[] } {
  const base = new Topology().addSource('left', { topics: ['left'], ...strings }).addSource('right', { topics: ['right'], ...strings });
  const topology = addStreamStreamJoin(base, {
    name: 'join', left: 'left', right: 'right', kind: 'left', windows: JoinWindows.ofTimeDifferenceAndGrace(100, 10),
    joiner: (left, right) => `${left}${right}`, backend: inMemoryBackend(), keySerde: Serdes.string(), leftValueSerde: Serdes.string(), rightValueSerde: Serdes.string(),
  });
  return { driver: new TopologyTestDriver(topology), topics: ['left', 'right'] };
}

const contenders: [string, () => { driver: TopologyTestDriver; topics: string[] }][] = [
  ['key-value count (baseline)', () => single(count(store) as never)],
  ['tumbling count (1 s)', () => single(windowedCount({ ...store, windows: TimeWindows.ofSizeAndGrace(1_000, 100) }) as never)],
  ['hopping count (1 s / 250 ms)', () => single(windowedCount({ ...store, windows: TimeWindows.ofSizeAndGrace(1_000, 100).advanceBy(250) }) as never)],
  ['tumbling count, emit on close', () => single(windowedCount({ ...store, windows: TimeWindows.ofSizeAndGrace(1_000, 100), emitStrategy: 'on-window-close' }) as never)],
  ['session count (gap 50 ms)', () => single(sessionCount({ ...store, windows: SessionWindows.ofInactivityGapAndGrace(50, 10) }) as never)],
  ['sliding count (100 ms)', () => single(slidingCount({ ...store, windows: SlidingWindows.ofTimeDifferenceAndGrace(100, 10) }) as never)],
  ['stream-stream left join (100 ms)', join],
];

function runOnce(create: () => { driver: TopologyTestDriver; topics: string[] }, records: number): number {
  const { driver, topics } = create();
  const inputs = topics.map((topic) => driver.createInputTopic(topic, Serdes.string(), Serdes.string()));
  const keys = Array.from({ length: 100 }, (_, index) => `key-${index}`);
  const cpuBefore = process.cpuUsage();
  // One record per ms of event time, keys round-robin: each key sees a record every 100 ms.
  for (let index = 0; index < records; index++) inputs[index % inputs.length]?.pipeInput(keys[index % 100] ?? null, 'v', index);
  const cpu = process.cpuUsage(cpuBefore);
  driver.close();
  return records / ((cpu.user + cpu.system) / 1000);
}

const records = Number(process.argv[2] ?? 50_000);
const median = (values: number[]): number => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? 0;
const results = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
for (const [, create] of contenders) runOnce(create, Math.min(records, 5_000)); // warm-up
for (let round = 0; round < 3; round++) for (const [name, create] of contenders) results.get(name)?.push(runOnce(create, records));
const baseline = median(results.get(contenders[0]?.[0] ?? '') ?? []);
for (const [name, runs] of results) {
  process.stdout.write(`${name.padEnd(34)} ${median(runs).toFixed(1).padStart(7)} records/CPU ms  (${(median(runs) / baseline).toFixed(2)} of baseline; runs ${runs.map((run) => run.toFixed(1)).join(', ')})\n`);
}
