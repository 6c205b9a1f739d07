/**
 * The kstreams contender's topologies, written with the public `kstreams` API as a user would:
 * Processor API, LMDB stores with the record cache on, updates forwarded when the cache writes
 * them down (as Kafka Streams' DSL does).
 */
import {
  Record,
  Serdes,
  Stores,
  Topology,
  lmdbBackend,
  type MeteredKeyValueStore,
  type Processor,
  type ProcessorContext,
} from 'kstreams';
import type { AppRun } from './app-protocol.js';
import { encodeAggregate } from './workloads.js';

/** An input value as the suite writes it. */
interface InputValue {
  readonly seq: number;
  readonly amount: number;
  readonly pad: string;
}

/** Called once per input record, before the topology's work (the harness' progress counter). */
export type OnRecord = () => void;

class FilterProcessor implements Processor<string | null, InputValue | null, string | null, InputValue> {
  #context!: ProcessorContext<string | null, InputValue>;
  constructor(private readonly onRecord: OnRecord) {}
  init(context: ProcessorContext<string | null, InputValue>): void {
    this.#context = context;
  }
  process(record: Record<string | null, InputValue | null>): void {
    this.onRecord();
    if (record.value !== null && record.value.seq % 10 !== 0) this.#context.forward(record as Record<string | null, InputValue>);
  }
}

class AddFieldProcessor implements Processor<string | null, InputValue, string | null, InputValue & { processed: boolean }> {
  #context!: ProcessorContext<string | null, InputValue & { processed: boolean }>;
  init(context: ProcessorContext<string | null, InputValue & { processed: boolean }>): void {
    this.#context = context;
  }
  process(record: Record<string | null, InputValue>): void {
    this.#context.forward(record.withValue({ ...record.value, processed: true }));
  }
}

/** W1: JSON in, filter (drop every tenth), map (add a field), JSON out. */
function statelessTopology(run: AppRun, onRecord: OnRecord) {
  return new Topology()
    .addSource('input', { topics: [run.input], keySerde: Serdes.string(), valueSerde: Serdes.json<InputValue>() })
    .addProcessor('filter', () => new FilterProcessor(onRecord), 'input')
    .addProcessor('add-field', () => new AddFieldProcessor(), 'filter')
    .addSink('output', run.output, { keySerde: Serdes.string(), valueSerde: Serdes.json() }, 'add-field');
}

/** Counts per key in a cached store; forwards what the cache flushes. */
class CountProcessor implements Processor<string | null, Uint8Array | null, string, number> {
  #counts!: MeteredKeyValueStore<string, number>;
  constructor(private readonly onRecord: OnRecord) {}
  init(context: ProcessorContext<string, number>): void {
    this.#counts = context.getStateStore<MeteredKeyValueStore<string, number>>('counts');
    this.#counts.setFlushListener((key, count, _old, timestamp) => {
      if (count !== undefined) context.forward(new Record(key, count, timestamp));
    });
  }
  process(record: Record<string | null, Uint8Array | null>): void {
    this.onRecord();
    if (record.key === null) return;
    this.#counts.put(record.key, (this.#counts.get(record.key) ?? 0) + 1);
  }
}

/** W2 / W4: count per key (LMDB, cache on, changelog), the updates to the output topic. */
function countTopology(run: AppRun, onRecord: OnRecord) {
  return new Topology()
    .addSource('input', { topics: [run.input], keySerde: Serdes.string(), valueSerde: Serdes.bytes() })
    .addProcessor('count', () => new CountProcessor(onRecord), 'input')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: 'counts', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }).withCachingEnabled(),
      'count',
    )
    .addSink('output', run.output, { keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }, 'count');
}

/** Aggregates count, sum of "amount" and the last value per key (the bytes Java's contender writes). */
class AggregateProcessor implements Processor<string | null, Uint8Array | null, string, Uint8Array> {
  #aggregates!: MeteredKeyValueStore<string, Uint8Array>;
  constructor(private readonly onRecord: OnRecord) {}
  init(context: ProcessorContext<string, Uint8Array>): void {
    this.#aggregates = context.getStateStore<MeteredKeyValueStore<string, Uint8Array>>('aggregates');
    this.#aggregates.setFlushListener((key, aggregate, _old, timestamp) => {
      if (aggregate !== undefined) context.forward(new Record(key, aggregate, timestamp));
    });
  }
  process(record: Record<string | null, Uint8Array | null>): void {
    this.onRecord();
    if (record.key === null || record.value === null) return;
    const amount = (JSON.parse(Buffer.from(record.value).toString('utf8')) as InputValue).amount;
    const previous = this.#aggregates.get(record.key);
    const view = previous === undefined ? undefined : Buffer.from(previous.buffer, previous.byteOffset, previous.byteLength);
    const count = view === undefined ? 1 : Number(view.readBigInt64BE(0)) + 1;
    const sum = view === undefined ? amount : Number(view.readBigInt64BE(8)) + amount;
    this.#aggregates.put(record.key, encodeAggregate(count, sum, record.value));
  }
}

/** W3: the aggregate in a cached LMDB store, state far beyond the cache. */
function aggregateTopology(run: AppRun, onRecord: OnRecord) {
  return new Topology()
    .addSource('input', { topics: [run.input], keySerde: Serdes.string(), valueSerde: Serdes.bytes() })
    .addProcessor('aggregate', () => new AggregateProcessor(onRecord), 'input')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: 'aggregates', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.bytes() }).withCachingEnabled(),
      'aggregate',
    )
    .addSink('output', run.output, { keySerde: Serdes.string(), valueSerde: Serdes.bytes() }, 'aggregate');
}

/** The topology of `run.topology`. */
export function kstreamsTopology(run: AppRun, onRecord: OnRecord) {
  switch (run.topology) {
    case 'w1':
      return statelessTopology(run, onRecord);
    case 'w2':
      return countTopology(run, onRecord);
    case 'w3':
      return aggregateTopology(run, onRecord);
  }
}
