import {
  deserializationHandlers,
  PunctuationType,
  Serdes,
  Stores,
  Topology,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type Record,
  type WindowStore,
} from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from './topology-test-driver.js';

class WordCounter implements Processor<string | null, string | null, string, bigint> {
  #context!: ProcessorContext<string, bigint>;
  #counts!: KeyValueStore<string, bigint>;

  init(context: ProcessorContext<string, bigint>): void {
    this.#context = context;
    this.#counts = context.getStateStore<KeyValueStore<string, bigint>>('counts');
  }

  process(record: Record<string | null, string | null>): void {
    for (const word of (record.value ?? '').toLowerCase().split(/\W+/).filter(Boolean)) {
      const count = (this.#counts.get(word) ?? 0n) + 1n;
      this.#counts.put(word, count);
      this.#context.forward(record.withKey(word).withValue(count));
    }
  }
}

function wordCountTopology() {
  return new Topology()
    .addSource('lines', { topics: ['text'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new WordCounter(), 'lines')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() }), 'count')
    .addSink('out', 'word-counts', { keySerde: Serdes.string(), valueSerde: Serdes.int64() }, 'count');
}

describe('TopologyTestDriver with a word-count topology', () => {
  it('counts words through the real serdes and key-value store', () => {
    const driver = new TopologyTestDriver(wordCountTopology());
    const input = driver.createInputTopic('text', Serdes.string(), Serdes.string(), { startTimestampMs: 1_000, autoAdvanceMs: 10 });
    const output = driver.createOutputTopic('word-counts', Serdes.string(), Serdes.int64());
    input.pipeValueList(['hello world', 'Hello again']);
    expect(output.getQueueSize()).toBe(4);
    expect(output.readRecord()).toMatchObject({ key: 'hello', value: 1n, timestamp: 1_000 });
    expect(output.readKeyValuesToMap()).toEqual(new Map([['world', 1n], ['hello', 2n], ['again', 1n]]));
    expect(output.isEmpty()).toBe(true);
    const counts = driver.getKeyValueStore<string, bigint>('counts');
    expect(counts.get('hello')).toBe(2n);
    expect([...counts.all()].map(({ key, value }) => [key, value])).toEqual([['again', 1n], ['hello', 2n], ['world', 1n]]);
    driver.close();
  });

  it('uses explicit timestamps and the topic clock for records piped without one', () => {
    const driver = new TopologyTestDriver(wordCountTopology(), {}, 500);
    const input = driver.createInputTopic('text', Serdes.string(), Serdes.string(), { autoAdvanceMs: 5 });
    const output = driver.createOutputTopic('word-counts', Serdes.string(), Serdes.int64());
    input.pipeInput('k', 'a');
    input.pipeInput('k', 'b', 42);
    input.advanceTime(100);
    input.pipeKeyValueList([{ key: 'k', value: 'c' }]);
    expect(output.readRecordsToList().map((record) => record.timestamp)).toEqual([500, 42, 605]);
  });

  it('throws clear errors for an empty output topic, an unknown input topic and an unknown store', () => {
    const driver = new TopologyTestDriver(wordCountTopology());
    const output = driver.createOutputTopic('word-count', Serdes.string(), Serdes.int64());
    expect(() => output.readValue()).toThrow('No more records in output topic "word-count"');
    expect(() => driver.createInputTopic('txt', Serdes.string(), Serdes.string())).toThrow('Unknown input topic "txt": no source of the topology reads it (input topics: "text")');
    expect(() => driver.getKeyValueStore('count')).toThrow('The topology has no state store "count" (stores: "counts")');
  });

  it('reports produced topics (sinks and store changelogs, as Java) and supports await using', async () => {
    let names: Set<string>;
    {
      await using driver = new TopologyTestDriver(wordCountTopology());
      driver.createInputTopic('text', Serdes.string(), Serdes.string()).pipeInput(null, 'x');
      names = driver.producedTopicNames();
    }
    expect(names).toEqual(new Set(['word-counts', 'topology-test-driver-counts-changelog']));
  });
});

class WindowedCounter implements Processor<string | null, string | null, string, bigint> {
  #context!: ProcessorContext<string, bigint>;
  #windows!: WindowStore<string, bigint>;

  init(context: ProcessorContext<string, bigint>): void {
    this.#context = context;
    this.#windows = context.getStateStore<WindowStore<string, bigint>>('windowed-counts');
  }

  process(record: Record<string | null, string | null>): void {
    const key = record.key ?? '';
    const windowStart = Math.floor(record.timestamp / 100) * 100;
    const count = (this.#windows.fetch(key, windowStart) ?? 0n) + 1n;
    this.#windows.put(key, count, windowStart);
    this.#context.forward(record.withKey(`${key}@${windowStart}`).withValue(count));
  }
}

describe('TopologyTestDriver with a windowed-count topology', () => {
  it('counts per key and 100 ms window in a window store', () => {
    const topology = new Topology()
      .addSource('clicks', { topics: ['clicks'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('count', () => new WindowedCounter(), 'clicks')
      .addStateStore(Stores.windowStoreBuilder({ name: 'windowed-counts', backend: inMemoryBackend(), retentionMs: 1_000, windowSizeMs: 100, keySerde: Serdes.string(), valueSerde: Serdes.int64() }), 'count')
      .addSink('out', 'click-counts', { keySerde: Serdes.string(), valueSerde: Serdes.int64() }, 'count');
    const driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic('clicks', Serdes.string(), Serdes.string());
    const output = driver.createOutputTopic('click-counts', Serdes.string(), Serdes.int64());
    input.pipeRecordList([
      { key: 'alice', value: 'x', timestamp: 10 },
      { key: 'alice', value: 'x', timestamp: 90 },
      { key: 'bob', value: 'x', timestamp: 95 },
      { key: 'alice', value: 'x', timestamp: 150 },
    ]);
    expect(output.readKeyValuesToList()).toEqual([
      { key: 'alice@0', value: 1n },
      { key: 'alice@0', value: 2n },
      { key: 'bob@0', value: 1n },
      { key: 'alice@100', value: 1n },
    ]);
    const windows = driver.getWindowStore<string, bigint>('windowed-counts');
    expect([...windows.fetch('alice', 0, 1_000)].map(({ key, value }) => [key, value])).toEqual([[0, 2n], [100, 1n]]);
  });
});

describe('TopologyTestDriver behaviour', () => {
  const upper = (): Processor<string, string, string, string> => {
    let context: ProcessorContext<string, string>;
    return { init: (given) => { context = given; }, process: (record) => context.forward(record.withValue(record.value.toUpperCase())) };
  };

  it('pipes records written to one of its own input topics back in', () => {
    const topology = Topology.untyped()
      .addSource('in', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('to-repartition', 'repartition', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'in')
      .addSource('again', { topics: ['repartition'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('upper', upper, 'again')
      .addSink('out', 'output', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'upper');
    const driver = new TopologyTestDriver(topology);
    driver.createInputTopic('input', Serdes.string(), Serdes.string()).pipeInput('k', 'hi', 7);
    expect(driver.createOutputTopic('output', Serdes.string(), Serdes.string()).readRecord()).toMatchObject({ key: 'k', value: 'HI', timestamp: 7 });
    expect(driver.producedTopicNames()).toEqual(new Set(['repartition', 'output']));
  });

  it('fires wall-clock punctuators when wall-clock time advances', () => {
    const ticks: number[] = [];
    const ticker = (): Processor<string, string> => ({
      init: (context) => { context.schedule(1_000, PunctuationType.WALL_CLOCK_TIME, (timestamp) => { ticks.push(timestamp); }); },
      process: () => undefined,
    });
    const topology = Topology.untyped().addSource('in', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() }).addProcessor('ticker', ticker, 'in');
    const driver = new TopologyTestDriver(topology, {}, 10_000);
    driver.advanceWallClockTime(999);
    driver.advanceWallClockTime(1);
    driver.advanceWallClockTime(2_500);
    expect(ticks).toEqual([11_000, 13_500]);
  });

  it('needs await driver.flush() before reading the results of async processors, and keeps their order', async () => {
    const slowUpper = (): Processor<string, string, string, string> => {
      let context: ProcessorContext<string, string>;
      return {
        init: (given) => { context = given; },
        process: async (record) => {
          await new Promise((resolve) => setTimeout(resolve, record.value === 'slow' ? 20 : 0));
          context.forward(record.withValue(record.value.toUpperCase()));
        },
      };
    };
    const topology = Topology.untyped()
      .addSource('in', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addProcessor('upper', slowUpper, 'in')
      .addSink('out', 'output', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'upper');
    const driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic('input', Serdes.string(), Serdes.string());
    const output = driver.createOutputTopic('output', Serdes.string(), Serdes.string());
    input.pipeValueList(['slow', 'fast']);
    expect(() => output.isEmpty()).toThrow('Call `await driver.flush()` first');
    await driver.flush();
    expect(output.readValuesToList()).toEqual(['SLOW', 'FAST']);
  });

  it('sends undeserializable records to a dead-letter topic when configured', () => {
    const topology = Topology.untyped()
      .addSource('in', { topics: ['numbers'], keySerde: Serdes.string(), valueSerde: Serdes.int32() })
      .addSink('out', 'copy', { keySerde: Serdes.string(), valueSerde: Serdes.int32() }, 'in');
    const driver = new TopologyTestDriver(topology, { deserializationExceptionHandler: deserializationHandlers.deadLetterQueue('numbers-dlq') });
    driver.createInputTopic('numbers', Serdes.string(), Serdes.string()).pipeValueList(['ab']);
    const dead = driver.createOutputTopic('numbers-dlq', Serdes.string(), Serdes.string()).readRecord();
    expect(dead.value).toBe('ab');
    expect(new TextDecoder().decode(dead.headers.lastHeader('__streams.errors.topic')?.value ?? undefined)).toBe('numbers');
  });

  it('surfaces processing failures from pipeInput, as Java does', () => {
    const failing = (): Processor<string, string> => ({ process: () => { throw new Error('bad record'); } });
    const topology = Topology.untyped().addSource('in', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() }).addProcessor('failing', failing, 'in');
    const driver = new TopologyTestDriver(topology);
    expect(() => driver.createInputTopic('input', Serdes.string(), Serdes.string()).pipeInput('k', 'v')).toThrow('Processor "failing" in task 0_0 failed');
  });
});
