import { Headers } from '@kstreams/core';
import type { ReadRecordHeader } from '@kstreams/kafka-protocol';
import type { ConsumedRecord } from '../kafka-client.js';

const NO_HEADERS: readonly ReadRecordHeader[] = [];

/**
 * A fetched input record that keeps only where its key and value are in the fetched bytes: the
 * views (`key`, `value`, accessors) are made when the record is processed, so a record waiting
 * in a task's buffer is one small object instead of three (fewer objects surviving young-
 * generation collections). Reading an accessor twice gives equal bytes in two views.
 */
export class FetchedRecord implements ConsumedRecord {
  readonly headers: Headers;
  readonly #bytes: Buffer;
  readonly #keyStart: number;
  readonly #keyLength: number;
  readonly #valueStart: number;
  readonly #valueLength: number;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly timestamp: number,
    place: { bytes: Buffer; keyStart: number; keyLength: number; valueStart: number; valueLength: number; headers: readonly ReadRecordHeader[] },
  ) {
    this.#bytes = place.bytes;
    this.#keyStart = place.keyStart;
    this.#keyLength = place.keyLength;
    this.#valueStart = place.valueStart;
    this.#valueLength = place.valueLength;
    this.headers = new Headers(place.headers.length === 0 ? NO_HEADERS : place.headers);
  }

  get key(): Uint8Array | null {
    return this.#keyLength < 0 ? null : this.#bytes.subarray(this.#keyStart, this.#keyStart + this.#keyLength);
  }

  get value(): Uint8Array | null {
    return this.#valueLength < 0 ? null : this.#bytes.subarray(this.#valueStart, this.#valueStart + this.#valueLength);
  }
}
