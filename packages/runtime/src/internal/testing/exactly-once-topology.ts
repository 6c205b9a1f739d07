import { Record, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';

/** What the exactly-once tests feed in: `"<seq>:<amount>"` under a key. */
export function sumInputValue(seq: number, amount: number): string {
  return `${seq}:${amount}`;
}

/** Reads an output value `"<seq>:<sum>"`. */
export function parseSumOutput(value: string): { seq: number; sum: number } {
  const [seq = '', sum = ''] = value.split(':');
  return { seq: Number(seq), sum: Number(sum) };
}

/** Options of {@link exactlyOnceSumTopology}. */
export interface SumTopologyOptions {
  /** Called before each record is added; a throw fails the stream thread (a poison record). */
  readonly beforeRecord?: (seq: number) => void;
}

/** Adds each amount to the key's sum in the logged LMDB store `sums` and forwards `"<seq>:<sum>"`. */
class SumProcessor implements Processor<string, string, string, string> {
  #context!: ProcessorContext<string, string>;
  #sums!: KeyValueStore<string, number>;

  constructor(readonly options: SumTopologyOptions) {}

  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
    this.#sums = context.getStateStore<KeyValueStore<string, number>>('sums');
  }

  process(record: Record<string, string>): void {
    const [seq = '', amount = ''] = record.value.split(':');
    this.options.beforeRecord?.(Number(seq));
    const sum = (this.#sums.get(record.key) ?? 0) + Number(amount);
    this.#sums.put(record.key, sum);
    this.#context.forward(new Record(record.key, `${seq}:${sum}`, record.timestamp));
  }
}

/** `input` → running sum per key (uncached, changelogged LMDB store `sums`) → `output`, one output per input. */
export function exactlyOnceSumTopology(input: string, output: string, options: SumTopologyOptions = {}) {
  const sums = Stores.keyValueStoreBuilder({ name: 'sums', backend: lmdbBackend(), keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }).withCachingDisabled();
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('sum', () => new SumProcessor(options), 'in')
    .addStateStore(sums, 'sum')
    .addSink('out', output, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'sum');
}

/** Every key's sum in the `sums` stores of the given tasks, read from LMDB (the app must be closed). */
export async function readSumStores(stateDir: string, applicationId: string, taskIds: readonly string[]): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (const taskId of taskIds) {
    const store = lmdbBackend().openStore({ name: 'sums', directory: `${stateDir}/${applicationId}/${taskId}`, applicationId, taskId });
    try {
      for (const { key, value } of store.range()) sums.set(Buffer.from(key).toString(), Number(Serdes.int64Number().deserialize('', value)));
    } finally {
      await store.close();
    }
  }
  return sums;
}

/** Checks output records against the inputs: each seq exactly once, and each key's last sum. */
export function checkExactlyOnce(expectedSums: ReadonlyMap<string, number>, inputCount: number, output: readonly { key: string; value: string }[]) {
  const seen = new Map<number, number>();
  const lastSum = new Map<string, { seq: number; sum: number }>();
  for (const { key, value } of output) {
    const parsed = parseSumOutput(value);
    seen.set(parsed.seq, (seen.get(parsed.seq) ?? 0) + 1);
    const last = lastSum.get(key);
    if (last === undefined || parsed.seq > last.seq) lastSum.set(key, parsed);
  }
  let lost = 0;
  let duplicated = 0;
  for (let seq = 0; seq < inputCount; seq++) {
    const count = seen.get(seq) ?? 0;
    if (count === 0) lost++;
    else duplicated += count - 1;
  }
  let wrongSums = 0;
  for (const [key, sum] of expectedSums) if (lastSum.get(key)?.sum !== sum) wrongSums++;
  return { expected: inputCount, seen: output.length, lost, duplicated, wrongSums };
}
