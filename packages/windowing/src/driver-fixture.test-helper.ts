import { Serdes, Topology, type Record, type Windowed } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { addWiredProcessor, type WiredProcessor } from './wired-processor.js';

/** What a wired processor forwarded, flattened for assertions: `key@start/end=value (ts)`. */
export function describeWindowed<K, V>(record: Record<Windowed<K>, V>): string {
  return `${String(record.key.key)}@${record.key.window.startMs}/${record.key.window.endMs}=${String(record.value)} (${record.timestamp})`;
}

export const backend = inMemoryBackend;

/**
 * Runs `wired` behind a string/string source `input` in the test driver and captures what it
 * forwards. Returns the driver, a `pipe(key, value, timestamp)` helper and the captured records.
 */
export function runWired<KOut, VOut>(wired: WiredProcessor<string | null, string | null, KOut, VOut>) {
  const forwarded: Record<KOut, VOut>[] = [];
  const base = new Topology().addSource('input', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() });
  const topology = addWiredProcessor(base, 'aggregate', wired, 'input').addProcessor(
    'capture',
    () => ({ process: (record: Record<KOut, VOut>) => void forwarded.push(record) }),
    'aggregate',
  );
  const driver = new TopologyTestDriver(topology, { applicationId: 'app' });
  const input = driver.createInputTopic('input', Serdes.string(), Serdes.string());
  const pipe = (key: string | null, value: string | null, timestamp: number): void => input.pipeInput(key, value, timestamp);
  /** Takes the records forwarded since the last call. */
  const take = (): Record<KOut, VOut>[] => forwarded.splice(0, forwarded.length);
  return { driver, pipe, take };
}
