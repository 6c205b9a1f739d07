import { describe, expect, it } from 'vitest';
import { SerializationError } from '../errors/streams-error.js';
import { Serdes } from './serdes.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const topic = 'orders';

describe('Serdes', () => {
  it.each([
    ['string', Serdes.string(), 'héllo'],
    ['json', Serdes.json<{ id: number; tags: string[] }>(), { id: 1, tags: ['a'] }],
    ['int32', Serdes.int32(), -123_456],
    ['int64', Serdes.int64(), -(2n ** 63n)],
    ['int64Number', Serdes.int64Number(), Number.MAX_SAFE_INTEGER],
    ['float64', Serdes.float64(), -0.125],
    ['bytes', Serdes.bytes(), bytes(0, 255, 7)],
    ['uuid', Serdes.uuid(), '123e4567-e89b-12d3-a456-426614174000'],
  ] as const)('%s round-trips a value and maps null to null', (_name, serde, value) => {
    const roundTrip = serde as { serialize(t: string, v: unknown): Uint8Array | null; deserialize(t: string, d: Uint8Array | null): unknown };
    expect(roundTrip.deserialize(topic, roundTrip.serialize(topic, value))).toEqual(value);
    expect(roundTrip.serialize(topic, null)).toBeNull();
    expect(roundTrip.deserialize(topic, null)).toBeNull();
  });

  it('writes numbers big-endian, as Java does', () => {
    expect(Serdes.int32().serialize(topic, 1)).toEqual(bytes(0, 0, 0, 1));
    expect(Serdes.int32().serialize(topic, -2)).toEqual(bytes(255, 255, 255, 254));
    expect(Serdes.int64().serialize(topic, 258n)).toEqual(bytes(0, 0, 0, 0, 0, 0, 1, 2));
    expect(Serdes.int64Number().serialize(topic, 258)).toEqual(bytes(0, 0, 0, 0, 0, 0, 1, 2));
    expect(Serdes.float64().serialize(topic, 1)).toEqual(bytes(0x3f, 0xf0, 0, 0, 0, 0, 0, 0));
  });

  it('reads numbers from a slice of a larger buffer', () => {
    const buffer = bytes(9, 0, 0, 0, 5, 9);
    expect(Serdes.int32().deserialize(topic, buffer.subarray(1, 5))).toBe(5);
  });

  it('writes strings and UUIDs as UTF-8 text, as Java does', () => {
    expect(Serdes.string().serialize(topic, 'é')).toEqual(bytes(0xc3, 0xa9));
    const uuid = '123E4567-E89B-12D3-A456-426614174000';
    expect(new TextDecoder().decode(Serdes.uuid().serialize(topic, uuid) ?? undefined)).toBe(uuid.toLowerCase());
    expect(Serdes.uuid().serialize(topic, uuid)).toHaveLength(36);
  });

  it('rejects data of the wrong size, naming the topic', () => {
    expect(() => Serdes.int32().deserialize(topic, bytes(1, 2, 3))).toThrow(SerializationError);
    expect(() => Serdes.int32().deserialize(topic, bytes(1, 2, 3))).toThrow(
      'Serdes.int32() on topic "orders": got 3 bytes, expected exactly 4.',
    );
    expect(() => Serdes.float64().deserialize(topic, bytes(1))).toThrow(/expected exactly 8/);
  });

  it('rejects numbers out of range instead of losing precision', () => {
    expect(() => Serdes.int32().serialize(topic, 2 ** 31)).toThrow(/not a 32-bit integer/);
    expect(() => Serdes.int32().serialize(topic, 1.5)).toThrow(/not a 32-bit integer/);
    expect(() => Serdes.int64().serialize(topic, 2n ** 63n)).toThrow(/not a 64-bit bigint/);
    expect(() => Serdes.int64Number().serialize(topic, 2 ** 53)).toThrow(/not a safe integer/);
    const large = Serdes.int64().serialize(topic, 2n ** 53n);
    expect(() => Serdes.int64Number().deserialize(topic, large)).toThrow(/Use Serdes.int64\(\)/);
  });

  it('rejects bad JSON with a SerializationError naming the topic', () => {
    const serde = Serdes.json();
    const bad = new TextEncoder().encode('{"id": ');
    expect(() => serde.deserialize(topic, bad)).toThrow(SerializationError);
    expect(() => serde.deserialize(topic, bad)).toThrow(/Serdes.json\(\) on topic "orders": the record is not valid UTF-8 JSON/);
    expect(() => serde.serialize(topic, { big: 1n })).toThrow(/cannot write the value as JSON/);
  });

  it('applies the JSON validate function', () => {
    const isOrder = (value: unknown): value is { id: number } => typeof (value as { id?: unknown }).id === 'number';
    const serde = Serdes.json({ validate: isOrder });
    expect(serde.deserialize(topic, new TextEncoder().encode('{"id":1}'))).toEqual({ id: 1 });
    expect(() => serde.deserialize(topic, new TextEncoder().encode('{"id":"x"}'))).toThrow(/failed validation/);
  });

  it('rejects text that is not a UUID', () => {
    expect(() => Serdes.uuid().serialize(topic, 'nope')).toThrow(/"nope" is not a UUID/);
    expect(() => Serdes.uuid().deserialize(topic, new TextEncoder().encode('nope'))).toThrow(/"nope" is not a UUID/);
  });

  it('accepts only null in the void serde', () => {
    expect(Serdes.void().serialize(topic, null)).toBeNull();
    expect(Serdes.void().deserialize(topic, null)).toBeNull();
    expect(() => Serdes.void().deserialize(topic, bytes(1))).toThrow(/only reads null/);
  });
});

describe('string serde fast paths', () => {
  it('encodes and decodes ASCII, non-ASCII and long text exactly as TextEncoder does', () => {
    const serde = Serdes.string();
    for (const sample of ['', 'hello world', 'grüße', '日本語', '\u{1F600}', 'x'.repeat(200), `${'y'.repeat(47)}é`]) {
      const bytes = serde.serialize('t', sample);
      expect(bytes).toEqual(new TextEncoder().encode(sample));
      expect(serde.deserialize('t', bytes)).toBe(sample);
    }
  });

  it('decodes malformed UTF-8 to the replacement character', () => {
    expect(Serdes.string().deserialize('t', new Uint8Array([0x61, 0xff]))).toBe('a\uFFFD');
  });
});

describe('number serdes', () => {
  it('return a fresh byte array for every value', () => {
    const serde = Serdes.int64();
    const one = serde.serialize('t', 1n);
    const two = serde.serialize('t', 2n);
    expect(serde.deserialize('t', one)).toBe(1n);
    expect(serde.deserialize('t', two)).toBe(2n);
    expect(one).not.toBe(two);
  });
});
