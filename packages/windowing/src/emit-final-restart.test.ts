import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes, Topology, type Record, type Windowed } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { windowedCount } from './time-window-aggregate.js';
import { addWiredProcessor } from './wired-processor.js';
import { TimeWindows } from './windows.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

function run(stateDir: string, emitted: string[]) {
  const base = new Topology().addSource('input', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() });
  const topology = addWiredProcessor(
    base,
    'count',
    windowedCount({ storeName: 'counts', backend: lmdbBackend(), keySerde: Serdes.string(), aggregateSerde: Serdes.int64(), windows: TimeWindows.ofSizeWithNoGrace(10), emitStrategy: 'on-window-close' }),
    'input',
  ).addProcessor('capture', () => ({ process: (record: Record<Windowed<string | null>, bigint>) => void emitted.push(`${record.key.key}@${record.key.window.startMs}=${record.value}`) }), 'count');
  const driver = new TopologyTestDriver(topology, { applicationId: 'app', stateDir, keepStateDir: true });
  return { driver, input: driver.createInputTopic('input', Serdes.string(), Serdes.string()) };
}

describe('on-window-close across a restart', () => {
  // Java keeps the last emitted window close time with the task (commit metadata), so a
  // restarted task neither repeats final results nor loses the windows still open.
  it('neither repeats nor loses final results when the task restarts on its persisted stores', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'emit-final-'));
    directories.push(stateDir);
    const emitted: string[] = [];
    const first = run(stateDir, emitted);
    first.input.pipeInput('a', 'x', 1);
    first.input.pipeInput('a', 'x', 12); // closes [0,10)
    first.input.pipeInput('a', 'x', 15);
    await first.driver.close();
    expect(emitted).toEqual(['a@0=1']);
    const second = run(stateDir, emitted);
    second.input.pipeInput('a', 'x', 16); // close time 16: [0,10) was already emitted
    second.input.pipeInput('a', 'x', 25); // closes [10,20), counted across the restart
    await second.driver.close();
    expect(emitted).toEqual(['a@0=1', 'a@10=3']);
  });
});
