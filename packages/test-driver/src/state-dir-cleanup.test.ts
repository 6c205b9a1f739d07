import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext, type Record } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { TopologyTestDriver, type TestDriverConfig } from './topology-test-driver.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function temporaryRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'driver-state-'));
  roots.push(root);
  return root;
}

/** Counts words in a persistent LMDB store, as the umbrella README's example does. */
function wordCountTopology() {
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor(
      'count',
      () => {
        let context: ProcessorContext<string, number>;
        let counts: KeyValueStore<string, number>;
        return {
          init(given: ProcessorContext<string, number>) {
            context = given;
            counts = given.getStateStore<KeyValueStore<string, number>>('counts');
          },
          process(record: Record<string | null, string | null>) {
            for (const word of (record.value ?? '').split(' ')) {
              const count = (counts.get(word) ?? 0) + 1;
              counts.put(word, count);
              context.forward(record.withKey(word).withValue(count));
            }
          },
        };
      },
      'lines',
    )
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }), 'count')
    .addSink('out', 'word-counts', { keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }, 'count');
}

async function countOnce(config: TestDriverConfig): Promise<Map<string | null, number | null>> {
  await using driver = new TopologyTestDriver(wordCountTopology(), config);
  driver.createInputTopic('text', Serdes.string(), Serdes.string()).pipeInput(null, 'a b a');
  return driver.createOutputTopic('word-counts', Serdes.string(), Serdes.int64Number()).readKeyValuesToMap();
}

describe('TopologyTestDriver.close and the state directory', () => {
  it('deletes the state, so a second run with the same stateDir starts empty', async () => {
    const stateDir = join(temporaryRoot(), 'state');
    expect(await countOnce({ stateDir })).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(existsSync(stateDir)).toBe(false);
    expect(await countOnce({ stateDir })).toEqual(new Map([['a', 2], ['b', 1]]));
  });

  it('keeps the state with keepStateDir, so the second run continues the counts', async () => {
    const stateDir = join(temporaryRoot(), 'state');
    await countOnce({ stateDir, keepStateDir: true });
    expect(existsSync(join(stateDir, 'topology-test-driver', '0_0', 'counts'))).toBe(true);
    expect(await countOnce({ stateDir, keepStateDir: true })).toEqual(new Map([['a', 4], ['b', 2]]));
  });

  it('deletes only its own application directory from a shared stateDir', async () => {
    const stateDir = temporaryRoot();
    mkdirSync(join(stateDir, 'other-app'));
    writeFileSync(join(stateDir, 'other-app', 'keep.txt'), 'mine');
    await countOnce({ stateDir, applicationId: 'counting' });
    expect(existsSync(join(stateDir, 'counting'))).toBe(false);
    expect(existsSync(join(stateDir, 'other-app', 'keep.txt'))).toBe(true);
  });
});
