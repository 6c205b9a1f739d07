import { Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { inMemoryBackend } from '@kstreams/store-memory';

/** Keeps the latest value of every key in the logged store `latest` (idempotent: a replay rewrites the same values). */
class LatestValue implements Processor<string | null, string | null, never, never> {
  #store!: KeyValueStore<string, string>;

  init(context: ProcessorContext<never, never>): void {
    this.#store = context.getStateStore<KeyValueStore<string, string>>('latest');
  }

  process(record: Record<string | null, string | null>): void {
    if (record.key !== null) this.#store.put(record.key, record.value);
  }
}

/** `input` (string keys and values) into the logged LMDB (or in-memory) store `latest`; no output topic. */
export function latestValueTopology(input: string, backend: 'lmdb' | 'memory' = 'lmdb') {
  return Topology.untyped()
    .addSource('in', { topics: [input], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('latest', () => new LatestValue(), 'in')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: 'latest', backend: backend === 'lmdb' ? lmdbBackend() : inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withCachingDisabled(),
      'latest',
    );
}

/** Every entry of task `taskId`'s `latest` LMDB store under `stateDir`, read straight from LMDB (the app must be closed). */
export async function readLatestStore(stateDir: string, applicationId: string, taskId: string): Promise<Map<string, string>> {
  const directory = `${stateDir}/${applicationId}/${taskId}`;
  const store = lmdbBackend().openStore({ name: 'latest', directory, applicationId, taskId });
  const entries = new Map<string, string>();
  try {
    for (const { key, value } of store.range()) entries.set(Buffer.from(key).toString(), Buffer.from(value).toString());
  } finally {
    await store.close();
  }
  return entries;
}
