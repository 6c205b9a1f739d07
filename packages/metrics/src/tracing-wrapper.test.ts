import { Headers, Serdes, Topology, type Processor, type ProcessorContext, type Record as StreamsRecord } from '@kstreams/core';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { StreamsTelemetry } from './streams-telemetry.js';
import { parseTraceparent } from './trace-parent.js';

const UPSTREAM = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

class Failing implements Processor<string | null, string | null, string | null, string | null> {
  #context!: ProcessorContext<string | null, string | null>;
  init(context: ProcessorContext<string | null, string | null>): void {
    this.#context = context;
  }
  process(record: StreamsRecord<string | null, string | null>): void {
    if (record.value === 'boom') throw new Error('bad record');
    this.#context.forward(record);
  }
}

function run(telemetry: StreamsTelemetry, records: { value: string; headers?: Headers }[]) {
  const topology = new Topology()
    .addSource('in', { topics: ['input'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('pass', () => new Failing(), 'in')
    .addSink('out', 'output', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'pass');
  const driver = new TopologyTestDriver(topology, { ...telemetry.engineTelemetry('thread-1') });
  const input = driver.createInputTopic('input', Serdes.string(), Serdes.string());
  const output = driver.createOutputTopic('output', Serdes.string(), Serdes.string());
  const errors: unknown[] = [];
  for (const record of records) {
    try {
      input.pipeRecord({ key: 'k', value: record.value, ...(record.headers === undefined ? {} : { headers: record.headers }) });
    } catch (error) {
      errors.push(error);
    }
  }
  return { outputs: output.readRecordsToList(), errors };
}

function tracer() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracerProvider };
}

describe('tracingWrapper', () => {
  it('starts a span per record linked to the record\'s traceparent and writes its own context into outputs', () => {
    const { exporter, tracerProvider } = tracer();
    const telemetry = new StreamsTelemetry({ recordingLevel: 'DEBUG', tracing: { tracerProvider } });
    const { outputs } = run(telemetry, [{ value: 'a', headers: new Headers({ traceparent: UPSTREAM }) }, { value: 'b' }]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['process in', 'process in']);
    expect(spans[0]?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(spans[1]?.links).toEqual([]);
    expect(spans[0]?.attributes).toMatchObject({ 'task.id': '0_0', 'messaging.destination.name': 'input', 'messaging.kafka.offset': 0 });
    const written = outputs.map((record) => parseTraceparent(record.headers.lastHeader('traceparent')?.value));
    expect(written.map((context) => context?.spanId)).toEqual(spans.map((span) => span.spanContext().spanId));
    expect(outputs[0]?.headers.headers('traceparent')).toHaveLength(1);
  });

  it('marks the span of a failing record as an error', () => {
    const { exporter, tracerProvider } = tracer();
    const { errors } = run(new StreamsTelemetry({ recordingLevel: 'DEBUG', tracing: { tracerProvider } }), [{ value: 'boom' }]);
    expect(errors).toHaveLength(1);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('creates no spans below DEBUG and leaves headers alone', () => {
    const { exporter, tracerProvider } = tracer();
    const { outputs } = run(new StreamsTelemetry({ recordingLevel: 'INFO', tracing: { tracerProvider } }), [{ value: 'a', headers: new Headers({ traceparent: UPSTREAM }) }]);
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(outputs[0]?.headers.lastHeader('traceparent')?.value).toEqual(new TextEncoder().encode(UPSTREAM));
  });
});
