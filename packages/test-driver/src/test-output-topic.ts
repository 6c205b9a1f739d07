import { StreamsError, type Deserializer } from '@kstreams/core';
import type { CapturedRecord, TestKeyValue, TestRecord } from './test-record.js';

/** How an output topic reads captured records from the driver. */
export interface OutputSource {
  read(topic: string): CapturedRecord | undefined;
  size(topic: string): number;
  producedTopics(): Set<string>;
}

/**
 * An output topic of a {@link TopologyTestDriver}: reads (and consumes) what the topology
 * produced to it, deserialized with the given deserializers. Reading an empty topic throws.
 *
 * @example
 * const output = driver.createOutputTopic('counts', Serdes.string(), Serdes.int64());
 * expect(output.readKeyValue()).toEqual({ key: 'hello', value: 1n });
 */
export class TestOutputTopic<K, V> {
  readonly name: string;
  readonly #keyDeserializer: Deserializer<K>;
  readonly #valueDeserializer: Deserializer<V>;
  readonly #source: OutputSource;

  constructor(name: string, keyDeserializer: Deserializer<K>, valueDeserializer: Deserializer<V>, source: OutputSource) {
    this.name = name;
    this.#keyDeserializer = keyDeserializer;
    this.#valueDeserializer = valueDeserializer;
    this.#source = source;
  }

  /** The next record; throws when the topic has none. */
  readRecord(): TestRecord<K, V> {
    const captured = this.#source.read(this.name);
    if (captured === undefined) {
      const produced = [...this.#source.producedTopics()].map((topic) => `"${topic}"`).join(', ') || 'none';
      throw new StreamsError(
        `No more records in output topic "${this.name}". Check isEmpty() before reading, pipe input first, or check the topic name (topics produced so far: ${produced}).`,
      );
    }
    return {
      key: this.#keyDeserializer.deserialize(this.name, captured.key, captured.headers),
      value: this.#valueDeserializer.deserialize(this.name, captured.value, captured.headers),
      timestamp: captured.timestamp,
      headers: captured.headers,
    };
  }

  readKeyValue(): TestKeyValue<K, V> {
    const record = this.readRecord();
    return { key: record.key, value: record.value };
  }

  readValue(): V {
    return this.readRecord().value;
  }

  /** Every unread record, oldest first. */
  readRecordsToList(): TestRecord<K, V>[] {
    const records: TestRecord<K, V>[] = [];
    while (!this.isEmpty()) records.push(this.readRecord());
    return records;
  }

  readKeyValuesToList(): TestKeyValue<K, V>[] {
    return this.readRecordsToList().map((record) => ({ key: record.key, value: record.value }));
  }

  readValuesToList(): V[] {
    return this.readRecordsToList().map((record) => record.value);
  }

  /** The latest value per key (a table view). Keys compare like `Map` keys; `null` keys throw. */
  readKeyValuesToMap(): Map<K, V> {
    const table = new Map<K, V>();
    for (const record of this.readRecordsToList()) {
      if (record.key === null || record.key === undefined) {
        throw new StreamsError(`Output topic "${this.name}" has a record with a null key; readKeyValuesToMap needs keys. Use readKeyValuesToList instead.`);
      }
      table.set(record.key, record.value);
    }
    return table;
  }

  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }

  /** Unread records. */
  getQueueSize(): number {
    return this.#source.size(this.name);
  }
}
