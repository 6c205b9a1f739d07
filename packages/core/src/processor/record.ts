import { Headers } from './headers.js';

/**
 * An immutable record flowing through a topology: key, value, timestamp (ms) and headers.
 * The `with*` methods return a new record; headers are copied, never shared.
 *
 * @example
 * const upper = record.withValue(record.value.toUpperCase());
 */
export class Record<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;

  constructor(key: K, value: V, timestamp: number, headers?: Headers) {
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      throw new RangeError(
        `Record timestamp must be a non-negative number of milliseconds, got ${timestamp}.`,
      );
    }
    this.key = key;
    this.value = value;
    this.timestamp = timestamp;
    this.headers = headers ?? new Headers();
  }

  withKey<NewK>(key: NewK): Record<NewK, V> {
    return new Record(key, this.value, this.timestamp, this.headers.clone());
  }

  withValue<NewV>(value: NewV): Record<K, NewV> {
    return new Record(this.key, value, this.timestamp, this.headers.clone());
  }

  withTimestamp(timestamp: number): Record<K, V> {
    return new Record(this.key, this.value, timestamp, this.headers.clone());
  }

  withHeaders(headers: Headers): Record<K, V> {
    return new Record(this.key, this.value, this.timestamp, headers.clone());
  }
}
