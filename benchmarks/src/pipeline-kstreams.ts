import { Serdes, Topology, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { KafkaStreams } from '@kstreams/runtime';
import type { PipeRun, RunningPipe } from './pipeline-raw-kafkajs.js';
import { keepRecord, transformValue } from './pipeline-workload.js';

/** The benchmark's filter and map as one processor: drops every tenth record, upper-cases the rest. */
class FilterMapProcessor implements Processor<Uint8Array | null, Uint8Array | null, Uint8Array | null, Uint8Array> {
  #context!: ProcessorContext<Uint8Array | null, Uint8Array>;

  init(context: ProcessorContext<Uint8Array | null, Uint8Array>): void {
    this.#context = context;
  }

  process(record: Record<Uint8Array | null, Uint8Array | null>): void {
    if (record.value === null || !keepRecord(record.value)) return;
    this.#context.forward(record.withValue(transformValue(record.value)));
  }
}

/** input → filter/map → output, bytes in and out. */
export function pipelineTopology(inputTopic: string, outputTopic: string) {
  return new Topology()
    .addSource('input', { topics: [inputTopic], keySerde: Serdes.bytes(), valueSerde: Serdes.bytes() })
    .addProcessor('filter-map', () => new FilterMapProcessor(), 'input')
    .addSink('output', outputTopic, { keySerde: Serdes.bytes(), valueSerde: Serdes.bytes() }, 'filter-map');
}

/**
 * The kstreams contender: the same filter and map as a topology run by `KafkaStreams`
 * (at-least-once, one stream thread, default buffering), the group id as its application id.
 */
export async function startKstreamsPipe(run: PipeRun): Promise<RunningPipe> {
  const streams = new KafkaStreams(pipelineTopology(run.inputTopic, run.outputTopic), {
    applicationId: run.groupId,
    bootstrapServers: run.brokers,
    processingGuarantee: 'at_least_once',
    commitIntervalMs: run.commitIntervalMs,
  });
  const assigned = new Promise<number>((resolve) => {
    streams.onStateChange((state) => {
      if (state === 'RUNNING') resolve(Date.now());
    });
  });
  await streams.start();
  return {
    assigned,
    async stop() {
      const closed = await streams.close({ timeoutMs: 30_000 });
      if (!closed) throw new Error(`KafkaStreams ${run.groupId} did not close within 30 s`);
    },
  };
}
