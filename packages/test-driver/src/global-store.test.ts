import { InvalidStateStoreError, Serdes, Stores, Topology, type KeyValueStore, type Processor, type ProcessorContext, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { describe, expect, it } from 'vitest';
import { TopologyTestDriver } from './topology-test-driver.js';

class CountryWriter implements Processor<string | null, string | null, never, never> {
  #store!: KeyValueStore<string, string>;
  init(context: ProcessorContext<never, never>): void {
    this.#store = context.getStateStore('countries');
  }
  process(record: Record<string | null, string | null>): void {
    if (record.key !== null) this.#store.put(record.key, record.value);
  }
}

class Enricher implements Processor<string | null, string | null, string | null, string> {
  #context!: ProcessorContext<string | null, string>;
  #countries!: KeyValueStore<string, string>;
  init(context: ProcessorContext<string | null, string>): void {
    this.#context = context;
    this.#countries = context.getStateStore('countries');
  }
  process(record: Record<string | null, string | null>): void {
    if (record.value === 'overwrite') this.#countries.delete('de');
    this.#context.forward(record.withValue(`${record.value}:${this.#countries.get(record.value ?? '') ?? '?'}`));
  }
}

function enrichmentTopology() {
  const countries = Stores.keyValueStoreBuilder({ name: 'countries', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
  return new Topology()
    .addSource('orders', { topics: ['orders'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('enrich', () => new Enricher(), 'orders')
    .addSink('out', 'enriched', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'enrich')
    .addGlobalStore(countries, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-writer', () => new CountryWriter());
}

describe('TopologyTestDriver with a global store', () => {
  it('updates the global store as soon as a record is piped into its topic', () => {
    const driver = new TopologyTestDriver(enrichmentTopology());
    const countries = driver.createInputTopic('countries', Serdes.string(), Serdes.string());
    countries.pipeInput('de', 'Germany');
    countries.pipeInput('fr', 'France');
    countries.pipeInput('fr', null);
    const store = driver.getKeyValueStore<string, string>('countries');
    expect(store.get('de')).toBe('Germany');
    expect(store.get('fr')).toBeUndefined();
    expect([...driver.getAllStateStores().keys()]).toEqual(['countries']);
    driver.close();
  });

  it('lets stream processors read the global store', () => {
    const driver = new TopologyTestDriver(enrichmentTopology());
    driver.createInputTopic('countries', Serdes.string(), Serdes.string()).pipeInput('de', 'Germany');
    const orders = driver.createInputTopic('orders', Serdes.string(), Serdes.string());
    const enriched = driver.createOutputTopic('enriched', Serdes.string(), Serdes.string());
    orders.pipeInput('o1', 'de');
    orders.pipeInput('o2', 'it');
    expect(enriched.readValuesToList()).toEqual(['de:Germany', 'it:?']);
    driver.close();
  });

  it('rejects a write to the global store from a stream processor', () => {
    const driver = new TopologyTestDriver(enrichmentTopology());
    const orders = driver.createInputTopic('orders', Serdes.string(), Serdes.string());
    let failure: unknown;
    try {
      orders.pipeInput('o1', 'overwrite');
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).cause).toBeInstanceOf(InvalidStateStoreError);
    expect(((failure as Error).cause as Error).message).toContain('Global store "countries" is read-only for stream processors: delete()');
    driver.close();
  });

  it('pipes records a stream task produces to a global topic back into the global store', () => {
    const countries = Stores.keyValueStoreBuilder({ name: 'countries', backend: inMemoryBackend(), keySerde: Serdes.string(), valueSerde: Serdes.string() }).withLoggingDisabled();
    const topology = new Topology()
      .addSource('updates', { topics: ['updates'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
      .addSink('to-countries', 'countries', { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'updates')
      .addGlobalStore(countries, 'countries-source', { topic: 'countries', keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'countries-writer', () => new CountryWriter());
    const driver = new TopologyTestDriver(topology);
    driver.createInputTopic('updates', Serdes.string(), Serdes.string()).pipeInput('nl', 'Netherlands');
    expect(driver.getKeyValueStore<string, string>('countries').get('nl')).toBe('Netherlands');
    expect(driver.createOutputTopic('countries', Serdes.string(), Serdes.string()).readKeyValue()).toEqual({ key: 'nl', value: 'Netherlands' });
    driver.close();
  });

  it('names the global topic among the known input topics when an unknown topic is used', () => {
    const driver = new TopologyTestDriver(enrichmentTopology());
    expect(() => driver.createInputTopic('nope', Serdes.string(), Serdes.string())).toThrow('input topics: "orders", "countries"');
    driver.close();
  });
});
