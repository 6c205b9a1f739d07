import { describe, expect, it } from 'vitest';
import { StreamsError } from '../errors/streams-error.js';
import { Headers } from './headers.js';
import type { ConsumedRecord } from './timestamp-extractor.js';
import {
  FailOnInvalidTimestamp,
  LogAndSkipOnInvalidTimestamp,
  RecordTimestampExtractor,
  timestampExtractor,
  UsePartitionTimeOnInvalidTimestamp,
  WallclockTimestampExtractor,
} from './timestamp-extractors.js';

const record = (timestamp: number, value: unknown = 'v'): ConsumedRecord => ({
  topic: 'clicks',
  partition: 2,
  offset: 40,
  key: 'k',
  value,
  timestamp,
  headers: new Headers(),
});

describe('timestamp extractors', () => {
  it('RecordTimestampExtractor returns the Kafka timestamp, negative ones included', () => {
    expect(new RecordTimestampExtractor().extract(record(1_000))).toBe(1_000);
    expect(new RecordTimestampExtractor().extract(record(-1))).toBe(-1);
  });

  it('FailOnInvalidTimestamp throws a StreamsError naming the record on a negative timestamp', () => {
    const extractor = new FailOnInvalidTimestamp();
    expect(extractor.extract(record(5))).toBe(5);
    expect(() => extractor.extract(record(-1))).toThrow(StreamsError);
    expect(() => extractor.extract(record(-1))).toThrow(/topic "clicks" partition 2 offset 40 has invalid \(negative\) timestamp -1/);
  });

  it('LogAndSkipOnInvalidTimestamp returns the negative timestamp and warns about that record', () => {
    const warnings: string[] = [];
    const extractor = new LogAndSkipOnInvalidTimestamp({ logger: { warn: (message) => warnings.push(message) } });
    expect(extractor.extract(record(-7))).toBe(-7);
    expect(extractor.extract(record(7))).toBe(7);
    expect(warnings).toEqual(['Skipping the record at topic "clicks" partition 2 offset 40: its timestamp -7 is negative.']);
  });

  it('UsePartitionTimeOnInvalidTimestamp falls back to partition time, or throws without one', () => {
    const extractor = new UsePartitionTimeOnInvalidTimestamp();
    expect(extractor.extract(record(3), 99)).toBe(3);
    expect(extractor.extract(record(-1), 99)).toBe(99);
    expect(() => extractor.extract(record(-1), -1)).toThrow(/partition has no time yet/);
  });

  it('WallclockTimestampExtractor reads the injected clock', () => {
    let now = 10;
    const extractor = new WallclockTimestampExtractor({ clock: { nowMs: () => now } });
    expect(extractor.extract()).toBe(10);
    now = 25;
    expect(extractor.extract()).toBe(25);
    const before = Date.now();
    expect(new WallclockTimestampExtractor().extract()).toBeGreaterThanOrEqual(before);
  });

  it('timestampExtractor wraps a function that reads the value', () => {
    const extractor = timestampExtractor<string, { atMs: number }>((consumed, partitionTimeMs) => consumed.value.atMs + partitionTimeMs);
    expect(extractor.extract(record(0, { atMs: 500 }), 1)).toBe(501);
  });
});
