/**
 * Records per millisecond through the test driver: `pipeInput` into a one-processor topology
 * (string serdes, a commit after every record), and a three-processor topology with a store.
 * Run: node --conditions source --import tsx packages/test-driver/bench/pipe-throughput.ts
 */
import { Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '../src/index.js';

class Upper implements Processor<string | null, string | null, string | null, string> {
  #context!: ProcessorContext<string | null, string>;
  init(context: ProcessorContext<string | null, string>): void {
    this.#context = context;
  }
  process(record: Record<string | null, string | null>): void {
    this.#context.forward(record.withValue((record.value ?? '').toUpperCase()));
  }
}

class Counter implements Processor<string | null, string, string, bigint> {
  #context!: ProcessorContext<string, bigint>;
  #counts!: KeyValueStore<string, bigint>;
  init(context: ProcessorContext<string, bigint>): void {
    this.#context = context;
    this.#counts = context.getStateStore('counts');
  }
  process(record: Record<string | null, string>): void {
    const key = record.key ?? '';
    const count = (this.#counts.get(key) ?? 0n) + 1n;
    this.#counts.put(key, count);
    this.#context.forward(record.withKey(key).withValue(count));
  }
}

function onePass(): TopologyTestDriver {
  const topology = new Topology()
    .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('upper', () => new Upper(), 'in')
    .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'upper');
  return new TopologyTestDriver(topology);
}

function threeWithStore(): TopologyTestDriver {
  const topology = new Topology()
    .addSource('in', { topics: ['in'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('upper', () => new Upper(), 'in')
    .addProcessor('count', () => new Counter(), 'upper')
    .addStateStore(Stores.keyValueStoreBuilder({ name: 'counts', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64() }), 'count')
    .addSink('out', 'out', { keySerde: Serdes.string(), valueSerde: Serdes.int64() }, 'count');
  return new TopologyTestDriver(topology);
}

function measure(name: string, create: () => TopologyTestDriver, records: number): void {
  const driver = create();
  const input = driver.createInputTopic('in', Serdes.string(), Serdes.string());
  const keys = Array.from({ length: 100 }, (_, index) => `key-${index}`);
  const warmup = Math.min(records, 20_000);
  for (let index = 0; index < warmup; index++) input.pipeInput(keys[index % 100] ?? null, 'hello world', index);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < records; index++) input.pipeInput(keys[index % 100] ?? null, 'hello world', warmup + index);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - startedAt;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const output = driver.createOutputTopic('out', Serdes.string(), Serdes.string());
  if (output.getQueueSize() !== warmup + records) throw new Error(`${name}: expected ${warmup + records} outputs, got ${output.getQueueSize()}`);
  driver.close();
  // CPU time too: on a shared machine it is steadier than wall time.
  process.stdout.write(
    `${name}: ${records} records in ${elapsedMs.toFixed(1)} ms = ${(records / elapsedMs).toFixed(1)} records/ms (${(records / cpuMs).toFixed(1)} per CPU ms)\n`,
  );
}

const records = Number(process.argv[2] ?? 200_000);
measure('1 processor', onePass, records);
measure('3 processors + store', threeWithStore, records);
