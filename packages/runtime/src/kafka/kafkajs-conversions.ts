import { Headers, type Header } from '@kstreams/core';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { ConsumedRecord, ProducerRecord } from './kafka-client.js';

/** A Uint8Array as a Buffer without copying (kafkajs wants Buffers). */
export function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** kafkajs headers (a key may map to a list) to ordered core `Headers`. */
export function fromKafkajsHeaders(headers: IHeaders | undefined): Headers {
  const list: Header[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      list.push({ key, value: item === undefined || item === null ? null : typeof item === 'string' ? Buffer.from(item) : item });
    }
  }
  return new Headers(list);
}

/** Core `Headers` to kafkajs headers; repeated keys become lists, order per key is kept. */
export function toKafkajsHeaders(headers: Headers): IHeaders | undefined {
  if (headers.size === 0) return undefined;
  const result: { [key: string]: (Buffer | null)[] } = {};
  for (const header of headers) (result[header.key] ??= []).push(asBuffer(header.value));
  const flattened: IHeaders = {};
  // kafkajs encodes a null header value as length -1, which is what Kafka expects.
  for (const [key, values] of Object.entries(result)) flattened[key] = (values.length === 1 ? values[0] : values) as IHeaders[string];
  return flattened;
}

/** A fetched kafkajs message as a consumed record. */
export function fromKafkajsMessage(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    timestamp: Number(message.timestamp),
    headers: fromKafkajsHeaders(message.headers),
  };
}

/** A producer record as a kafkajs message. */
export function toKafkajsMessage(record: ProducerRecord): Message {
  const headers = toKafkajsHeaders(record.headers);
  return {
    partition: record.partition,
    key: asBuffer(record.key),
    value: asBuffer(record.value),
    timestamp: String(record.timestamp),
    ...(headers === undefined ? {} : { headers }),
  };
}
