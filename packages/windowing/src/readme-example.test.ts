import { Serdes, Topology } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { addWiredProcessor, StreamsBuilder, TimeWindows, timeWindowedSerde, windowedCount } from './index.js';

// The README's examples, as written there.
describe('README examples', () => {
  it('counts clicks per user and minute, emitted once per closed minute', () => {
    const builder = new StreamsBuilder({ backend: inMemoryBackend() });
    builder
      .stream('clicks', { keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 5_000))
      .count({ storeName: 'clicks-per-minute', aggregateSerde: Serdes.int64(), emitStrategy: 'on-window-close' })
      .toStream()
      .to('clicks-per-minute', { keySerde: timeWindowedSerde(Serdes.string(), 60_000), valueSerde: Serdes.int64() });
    const driver = new TopologyTestDriver(builder.build());
    const clicks = driver.createInputTopic('clicks', Serdes.string(), Serdes.string());
    clicks.pipeInput('ann', '/home', 1_000);
    clicks.pipeInput('ann', '/cart', 30_000);
    clicks.pipeInput('bob', '/home', 66_000);
    const output = driver.createOutputTopic('clicks-per-minute', timeWindowedSerde(Serdes.string(), 60_000), Serdes.int64());
    expect(output.readKeyValuesToList()).toEqual([{ key: { key: 'ann', window: { startMs: 0, endMs: 60_000 } }, value: 2n }]);
  });

  it('wires the same count with the Processor API building blocks', () => {
    const base = new Topology().addSource('clicks', { topics: ['clicks'], keySerde: Serdes.string(), valueSerde: Serdes.string() });
    const topology = addWiredProcessor(
      base,
      'per-minute',
      windowedCount({ storeName: 'clicks-per-minute', backend: inMemoryBackend(), keySerde: Serdes.string(), aggregateSerde: Serdes.int64(), windows: TimeWindows.ofSizeAndGrace(60_000, 5_000) }),
      'clicks',
    );
    expect(topology.describe().toString()).toContain('Processor: per-minute (stores: [clicks-per-minute])');
  });
});
