import { Record, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';

/** An input record of the crash suite: a global sequence number and the amount to add to the key's sum. */
export interface SumInput {
  readonly seq: number;
  readonly amount: number;
}

/** An output record: the input's sequence number and the key's running sum after adding its amount. */
export interface SumOutput {
  readonly seq: number;
  readonly sum: number;
}

/** The running-sum store's name (its changelog is `<applicationId>-sums-changelog`). */
export const SUMS_STORE = 'sums';

/** Adds each record's amount to its key's sum in the store `sums` and forwards `{ seq, sum }`. */
class RunningSum implements Processor<string, SumInput, string, SumOutput> {
  #context!: ProcessorContext<string, SumOutput>;
  #sums!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, SumOutput>): void {
    this.#context = context;
    this.#sums = context.getStateStore<KeyValueStore<string, number>>(SUMS_STORE);
  }

  process(record: Record<string, SumInput>): void {
    const sum = (this.#sums.get(record.key) ?? 0) + record.value.amount;
    this.#sums.put(record.key, sum);
    this.#context.forward(new Record(record.key, { seq: record.value.seq, sum }, record.timestamp));
  }
}

/**
 * The crash suite's topology: `input` (string keys, JSON `{ seq, amount }`) through a running
 * sum per key kept in a cached, changelogged LMDB store, to `output` (string keys, JSON
 * `{ seq, sum }`), one output record per input record.
 */
export function runningSumTopology(input: string, output: string) {
  const sums = Stores.keyValueStoreBuilder({ name: SUMS_STORE, backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() })
    .withCachingEnabled()
    .withLoggingEnabled();
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.json<SumInput>() })
    .addProcessor('sum', () => new RunningSum(), 'in')
    .addStateStore(sums, 'sum')
    .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.json<SumOutput>() }, 'sum');
}
