import { Headers, type Serializer } from '@kstreams/core';
import type { TestKeyValue, TestRecordInput } from './test-record.js';

/** Options of `createInputTopic`. */
export interface InputTopicOptions {
  /** Timestamp of the first record piped without one; default: the driver's wall-clock time. */
  readonly startTimestampMs?: number;
  /** How far the topic's clock moves after each record piped without a timestamp; default 0. */
  readonly autoAdvanceMs?: number;
}

/** How the input topic hands serialized records to the driver. */
export type PipeRawRecord = (topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers) => void;

/**
 * An input topic of a {@link TopologyTestDriver}: serializes what you pipe with the given
 * serializers and processes it at once (see the driver for async processors).
 *
 * @example
 * const input = driver.createInputTopic('words', Serdes.string(), Serdes.string());
 * input.pipeInput('key', 'hello world');
 */
export class TestInputTopic<K, V> {
  readonly name: string;
  readonly #keySerializer: Serializer<K>;
  readonly #valueSerializer: Serializer<V>;
  readonly #pipe: PipeRawRecord;
  readonly #autoAdvanceMs: number;
  #currentTimeMs: number;

  constructor(name: string, keySerializer: Serializer<K>, valueSerializer: Serializer<V>, pipe: PipeRawRecord, options: Required<InputTopicOptions>) {
    if (options.autoAdvanceMs < 0) throw new RangeError(`Input topic "${name}": autoAdvanceMs must be >= 0, got ${options.autoAdvanceMs}.`);
    this.name = name;
    this.#keySerializer = keySerializer;
    this.#valueSerializer = valueSerializer;
    this.#pipe = pipe;
    this.#currentTimeMs = options.startTimestampMs;
    this.#autoAdvanceMs = options.autoAdvanceMs;
  }

  /** Pipes one record; without `timestampMs` it gets the topic's clock, which then auto-advances. */
  pipeInput(key: K, value: V, timestampMs?: number): void {
    this.pipeRecord({ key, value, ...(timestampMs === undefined ? {} : { timestamp: timestampMs }) });
  }

  /** Pipes one record with optional timestamp and headers. */
  pipeRecord(record: TestRecordInput<K, V>): void {
    const timestamp = record.timestamp ?? this.#nextTimestamp();
    const headers = record.headers?.clone() ?? new Headers();
    const key = this.#keySerializer.serialize(this.name, record.key, headers);
    const value = this.#valueSerializer.serialize(this.name, record.value, headers);
    this.#pipe(this.name, key, value, timestamp, headers);
  }

  /** Pipes records in order. */
  pipeRecordList(records: readonly TestRecordInput<K, V>[]): void {
    for (const record of records) this.pipeRecord(record);
  }

  /** Pipes key-value pairs in order, timestamped by the topic's clock. */
  pipeKeyValueList(entries: readonly TestKeyValue<K, V>[]): void {
    for (const entry of entries) this.pipeRecord({ key: entry.key, value: entry.value });
  }

  /** Pipes values with `null` keys, timestamped by the topic's clock. */
  pipeValueList(values: readonly V[]): void {
    for (const value of values) this.pipeRecord({ key: null as K, value });
  }

  /** Moves the topic's clock forward (the timestamp of the next record piped without one). */
  advanceTime(milliseconds: number): void {
    if (milliseconds < 0) throw new RangeError(`Input topic "${this.name}": advanceTime needs a non-negative duration, got ${milliseconds}.`);
    this.#currentTimeMs += milliseconds;
  }

  #nextTimestamp(): number {
    const timestamp = this.#currentTimeMs;
    this.#currentTimeMs += this.#autoAdvanceMs;
    return timestamp;
  }
}
