import type { Serde } from './serde.js';
import { serdeError } from './serde-errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Options of `Serdes.json()`. */
export interface JsonSerdeOptions<T> {
  /** Checks each parsed value; a `false` result fails deserialization with a `SerializationError`. */
  readonly validate?: (value: unknown) => value is T;
}

/**
 * UTF-8 JSON. Bad bytes or JSON fail with a `SerializationError` naming the topic; `null`
 * stays `null` (a tombstone). Values are trusted to be `T` unless `validate` is given.
 *
 * @example
 * const orders = Serdes.json<Order>({ validate: isOrder });
 */
export function jsonSerde<T>(options: JsonSerdeOptions<T> = {}): Serde<T | null> {
  return {
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      let text: string | undefined;
      try {
        text = JSON.stringify(data);
      } catch (error) {
        throw serdeError('json', topic, `cannot write the value as JSON (${(error as Error).message})`, 'Convert bigints, cycles and other non-JSON values first.', error);
      }
      if (text === undefined) {
        throw serdeError('json', topic, `a ${typeof data} has no JSON form`, 'Pass a JSON-compatible value.');
      }
      // `Buffer.from` slices Node's shared pool: no ArrayBuffer of its own per record, which
      // `TextEncoder.encode` costs (about twice the time, and GC). Fetched values are such
      // slices too, so every consumer of serialized bytes already handles them.
      return Buffer.from(text, 'utf8');
    },
    deserialize(topic, data) {
      if (data === null) return null;
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(data));
      } catch (error) {
        throw serdeError('json', topic, `the record is not valid UTF-8 JSON (${(error as Error).message})`, 'Use the serde that matches how the producer wrote this topic.', error);
      }
      if (options.validate !== undefined && !options.validate(value)) {
        throw serdeError('json', topic, 'the JSON value failed validation', 'Check the producer, or relax the validate function.');
      }
      return value as T;
    },
  };
}
