import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DefaultPartitioner, murmur2, partitionForKey, toPositive } from './default-partitioner.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('murmur2', () => {
  // Expected values are the ones Apache Kafka's UtilsTest.testMurmur2 asserts for Java's Utils.murmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes "%s" to %i as Java does', (input, expected) => {
    expect(murmur2(bytes(input))).toBe(expected);
  });

  it('agrees with kafkajs\' Java-compatible DefaultPartitioner on 2000 random keys', () => {
    const kafkajsPartition = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    for (let index = 0; index < 2000; index++) {
      const key = randomBytes(index % 40);
      const expected = kafkajsPartition({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: null } });
      expect(partitionForKey(key, 12)).toBe(expected);
    }
  });

  it('hashes the empty key deterministically', () => {
    expect(murmur2(new Uint8Array())).toBe(murmur2(new Uint8Array()));
    expect(Number.isInteger(murmur2(new Uint8Array()))).toBe(true);
  });
});

describe('toPositive', () => {
  it('clears only the sign bit, so the smallest integer maps to 0 instead of overflowing', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(123)).toBe(123);
  });
});

describe('partitionForKey', () => {
  it('matches toPositive(murmur2(key)) % numPartitions', () => {
    // toPositive(-973932308) = 1173551340; 1173551340 % 8 = 4.
    expect(partitionForKey(bytes('21'), 8)).toBe(4);
    expect(partitionForKey(bytes('abc'), 8)).toBe(479470107 % 8);
  });
});

describe('DefaultPartitioner', () => {
  it('always sends one key to one partition', () => {
    const partitioner = new DefaultPartitioner();
    const first = partitioner.partition('words', bytes('hello'), 6);
    for (let attempt = 0; attempt < 5; attempt++) expect(partitioner.partition('words', bytes('hello'), 6)).toBe(first);
  });

  it('spreads null keys round-robin per topic', () => {
    const partitioner = new DefaultPartitioner();
    const picks = Array.from({ length: 4 }, () => partitioner.partition('a', null, 3));
    expect(picks).toEqual([0, 1, 2, 0]);
    expect(partitioner.partition('b', null, 3)).toBe(0);
  });

  it('rejects a topic without partitions', () => {
    expect(() => new DefaultPartitioner().partition('words', null, 0)).toThrow(/"words" must have at least one partition/);
  });
});
