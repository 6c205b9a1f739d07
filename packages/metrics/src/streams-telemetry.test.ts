import { Headers, Serdes, Stores, Topology, processingHandlers, type Processor, type ProcessorContext, type ProcessorWrapper, type Record as StreamsRecord } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { StreamsTelemetry } from './streams-telemetry.js';
import { metricCollector } from './testing/metric-collector.js';

class Counter implements Processor<string | null, string | null, string, string> {
  #context!: ProcessorContext<string, string>;
  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
  }
  process(record: StreamsRecord<string | null, string | null>): void {
    if (record.value === 'boom') throw new Error('bad record');
    const counts = this.#context.getStateStore<import('@kstreams/core').KeyValueStore<string, number>>('counts');
    const key = record.key ?? '';
    const count = (counts.get(key) ?? 0) + 1;
    counts.put(key, count);
    this.#context.forward(record.withKey(key).withValue(String(count)));
  }
}

function topology(): Topology {
  return new Topology()
    .addSource('words', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count', () => new Counter(), 'words')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int32() }).withCachingEnabled(), 'count')
    .addSink('out', 'output', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'count') as Topology;
}

async function drive(telemetry: StreamsTelemetry, values: readonly string[], extra: { processingExceptionHandler?: typeof processingHandlers.logAndContinue } = {}) {
  const driver = new TopologyTestDriver(topology(), { ...telemetry.engineTelemetry('thread-1'), statestoreCacheMaxBytes: 1024 * 1024, ...extra }, 10_000);
  const input = driver.createInputTopic('input', Serdes.string(), Serdes.string());
  values.forEach((value, index) => input.pipeInput('k', value, 9_000 - index * 500));
  await driver.close();
}

const byNode = (points: { attributes: Readonly<Record<string, unknown>>; value: number }[]) =>
  Object.fromEntries(points.map((point) => [point.attributes['processor.node.id'], point.value]));

describe('StreamsTelemetry at INFO', () => {
  it('records end-to-end latency min, avg and max at sources and sinks only, per collection, and no DEBUG instruments', async () => {
    const collector = metricCollector();
    await drive(new StreamsTelemetry({ meterProvider: collector.meterProvider }), ['a', 'b', 'c']);
    // The driver's clock says 10 000; the records were stamped 9 000, 8 500 and 8 000.
    expect(byNode(await collector.points('kstreams.node.record-e2e-latency.min'))).toEqual({ words: 1_000, out: 1_000 });
    expect(byNode(await collector.points('kstreams.node.record-e2e-latency.max'))).toEqual({ words: 2_000, out: 2_000 });
    const average = await collector.points('kstreams.node.record-e2e-latency.avg');
    expect(byNode(average)).toEqual({ words: 1_500, out: 1_500 });
    expect(average[0]?.attributes).toMatchObject({ 'task.id': '0_0', 'thread.id': 'thread-1' });
    const names = await collector.names();
    expect(names).not.toContain('kstreams.node.process');
    expect(names).not.toContain('kstreams.task.process');
    expect(names).not.toContain('kstreams.state.put.latency');
  });

  it('counts node errors and dropped records', async () => {
    const collector = metricCollector();
    await drive(new StreamsTelemetry({ meterProvider: collector.meterProvider }), ['a', 'boom', 'c'], { processingExceptionHandler: processingHandlers.logAndContinue });
    expect(byNode(await collector.points('kstreams.node.errors'))).toEqual({ count: 1 });
    const dropped = await collector.points('kstreams.task.dropped-records');
    expect(dropped.map((point) => [point.attributes['reason'], point.value])).toEqual([['processing-error', 1]]);
  });
});

describe('StreamsTelemetry at DEBUG', () => {
  it('counts records per node and times task processing and store operations', async () => {
    const collector = metricCollector();
    await drive(new StreamsTelemetry({ meterProvider: collector.meterProvider, recordingLevel: 'DEBUG' }), ['a', 'b', 'c', 'd']);
    expect(byNode(await collector.points('kstreams.node.process'))).toEqual({ words: 4, count: 4, out: 4 });
    expect((await collector.points('kstreams.task.process.latency')).map((point) => point.value)).toEqual([4]);
    const puts = await collector.points('kstreams.state.put.latency');
    expect(puts.map((point) => [point.attributes['store.name'], point.attributes['task.id'], point.attributes['thread.id'], point.value])).toEqual([['counts', '0_0', 'thread-1', 4]]);
    expect((await collector.points('kstreams.state.get.latency'))[0]?.value).toBe(4);
  });

  it('records the record cache hit ratio of a caching store', async () => {
    const collector = metricCollector();
    await drive(new StreamsTelemetry({ meterProvider: collector.meterProvider, recordingLevel: 'DEBUG' }), ['a', 'b', 'c']);
    const ratio = await collector.points('kstreams.state.record-cache.hit-ratio');
    // First read misses (ratio 0); the next two hit the cached count (1/2, then 2/3).
    expect(ratio[0]?.value).toBe(3);
    expect(ratio[0]?.sum).toBeCloseTo(0 + 1 / 2 + 2 / 3);
  });
});

describe('processor wrappers', () => {
  it('hand every record of every node to the application wrapper, next to the built-in metrics', async () => {
    const seen: string[] = [];
    const audit: ProcessorWrapper = {
      wrapNode: (node) => ({
        process: (record, proceed) => {
          seen.push(`${node.nodeName}:${String(record.value)}`);
          return proceed(record);
        },
      }),
    };
    const collector = metricCollector();
    await drive(new StreamsTelemetry({ meterProvider: collector.meterProvider, recordingLevel: 'DEBUG', processorWrapper: audit }), ['a', 'b']);
    expect(seen).toEqual(['words:a', 'count:a', 'out:1', 'words:b', 'count:b', 'out:2']);
    expect(byNode(await collector.points('kstreams.node.process'))).toEqual({ words: 2, count: 2, out: 2 });
  });
});

describe('StreamsTelemetry without an SDK', () => {
  it('runs the topology with the global no-op meter', async () => {
    const driver = new TopologyTestDriver(topology(), { ...new StreamsTelemetry({ recordingLevel: 'TRACE' }).engineTelemetry() });
    const input = driver.createInputTopic('input', Serdes.string(), Serdes.string());
    const output = driver.createOutputTopic('output', Serdes.string(), Serdes.string());
    input.pipeRecord({ key: 'k', value: 'a', headers: new Headers() });
    expect(output.readValuesToList()).toEqual(['1']);
    await driver.close();
  });
});
