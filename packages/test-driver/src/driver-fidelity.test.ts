import {
  processingHandlers,
  PunctuationType,
  Serdes,
  Stores,
  Topology,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type Record,
} from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from './topology-test-driver.js';

class WordCounter implements Processor<string | null, string | null, string, bigint> {
  #counts!: KeyValueStore<string, bigint>;
  init(context: ProcessorContext<string, bigint>): void {
    this.#counts = context.getStateStore<KeyValueStore<string, bigint>>('counts');
  }
  process(record: Record<string | null, string | null>): void {
    for (const word of (record.value ?? '').split(' ')) this.#counts.put(word, (this.#counts.get(word) ?? 0n) + 1n);
  }
}

function countingTopology(options: { caching: boolean; logging: boolean }) {
  let builder = Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() });
  builder = options.caching ? builder.withCachingEnabled() : builder;
  builder = options.logging ? builder : builder.withLoggingDisabled();
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new WordCounter(), 'lines')
    .addStateStore(builder, 'count');
}

describe('TopologyTestDriver changelog topics', () => {
  // Java's TopologyTestDriver captures every logged store's `<applicationId>-<store>-changelog`
  // records as output; a caching store writes down once per key per commit, in the order of the
  // keys' last writes (NamedCache.dirtyKeys is a LinkedHashSet re-added on every write).
  it('shows a cached store changelog de-duplicated per commit, in last-write order', () => {
    const driver = new TopologyTestDriver(countingTopology({ caching: true, logging: true }), { applicationId: 'app' });
    driver.createInputTopic('text', Serdes.string(), Serdes.string()).pipeInput(null, 'b a b', 7);
    const changelog = driver.createOutputTopic('app-counts-changelog', Serdes.string(), Serdes.int64());
    expect(changelog.readRecordsToList().map((record) => [record.key, record.value, record.timestamp])).toEqual([['a', 1n, 7], ['b', 2n, 7]]);
    expect(driver.producedTopicNames()).toEqual(new Set(['app-counts-changelog']));
  });

  it('shows every write of an uncached store, and tombstones for deletes', () => {
    const topology = countingTopology({ caching: false, logging: true });
    const driver = new TopologyTestDriver(topology);
    driver.createInputTopic('text', Serdes.string(), Serdes.string()).pipeInput(null, 'b a b');
    driver.getKeyValueStore<string, bigint>('counts').delete('a');
    const changelog = driver.createOutputTopic('topology-test-driver-counts-changelog', Serdes.string(), Serdes.int64());
    expect(changelog.readKeyValuesToList()).toEqual([
      { key: 'b', value: 1n },
      { key: 'a', value: 1n },
      { key: 'b', value: 2n },
      { key: 'a', value: null },
    ]);
  });

  it('shows no changelog for a store with logging disabled', () => {
    const driver = new TopologyTestDriver(countingTopology({ caching: false, logging: false }));
    driver.createInputTopic('text', Serdes.string(), Serdes.string()).pipeInput(null, 'a');
    expect(driver.producedTopicNames()).toEqual(new Set());
  });
});

describe('TopologyTestDriver pattern sources', () => {
  // Java matches a source pattern against the whole topic name (Pattern.matcher(topic).matches()),
  // so a sink topic that merely contains a match is an output, not an input piped back.
  it('matches the whole topic name, so a sink topic containing the pattern is not piped back', () => {
    const topology = new Topology()
      .addSource('events', { pattern: /in-[0-9]+/, keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('out', 'copy-of-in-1', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'events');
    const driver = new TopologyTestDriver(topology);
    driver.createInputTopic('in-1', Serdes.string(), Serdes.string()).pipeInput('k', 'v');
    expect(driver.createOutputTopic('copy-of-in-1', Serdes.string(), Serdes.string()).readKeyValuesToList()).toEqual([{ key: 'k', value: 'v' }]);
    expect(() => driver.createInputTopic('in-1-extra', Serdes.string(), Serdes.string())).toThrow(/Unknown input topic "in-1-extra"/);
  });
});

describe('TopologyTestDriver punctuator errors', () => {
  // Kafka Streams 4.x routes a punctuator's exception through the processing exception handler
  // (KIP-1033); with CONTINUE the driver goes on and later punctuations still run.
  it('applies the processing exception handler to a failing wall-clock punctuator', () => {
    const fired: number[] = [];
    const ticker = (): Processor<string | null, string | null> => ({
      init: (context) => {
        context.schedule(10, PunctuationType.WALL_CLOCK_TIME, (timestamp) => {
          if (timestamp === 10) throw new Error('first tick fails');
          fired.push(timestamp);
        });
      },
      process: () => undefined,
    });
    const topology = new Topology().addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() }).addProcessor('ticker', ticker, 'in');
    const driver = new TopologyTestDriver(topology, { processingExceptionHandler: processingHandlers.logAndContinue });
    driver.advanceWallClockTime(10);
    driver.advanceWallClockTime(10);
    expect(fired).toEqual([20]);
    const failing = new TopologyTestDriver(topology);
    expect(() => failing.advanceWallClockTime(10)).toThrow(/A punctuator of processor "ticker" in task 0_0 failed at 10: first tick fails/);
  });
});
