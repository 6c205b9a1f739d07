/** murmur2's mixing constant and shift, as in Kafka's `Utils.murmur2`. */
const MIX = 0x5bd1e995;
const SHIFT = 24;
/** The seed Kafka's producer uses. */
const SEED = 0x9747b28c;

/**
 * The 32-bit murmur2 hash of `data`, as a signed integer, bit-for-bit the same as Kafka's
 * `Utils.murmur2` (the Java producer's default partitioner hashes keys with it).
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let hash = (SEED ^ length) | 0;
  const wholeWords = length >>> 2;
  for (let word = 0; word < wholeWords; word++) {
    const offset = word * 4;
    let k = (data[offset]! | (data[offset + 1]! << 8) | (data[offset + 2]! << 16) | (data[offset + 3]! << 24)) | 0;
    k = Math.imul(k, MIX);
    k ^= k >>> SHIFT;
    k = Math.imul(k, MIX);
    hash = Math.imul(hash, MIX) ^ k;
  }
  const tail = wholeWords * 4;
  // Java's fall-through switch: the remaining 1-3 bytes mix in, then one multiply.
  const remaining = length & 3;
  if (remaining >= 3) hash ^= data[tail + 2]! << 16;
  if (remaining >= 2) hash ^= data[tail + 1]! << 8;
  if (remaining >= 1) {
    hash ^= data[tail]!;
    hash = Math.imul(hash, MIX);
  }
  hash ^= hash >>> 13;
  hash = Math.imul(hash, MIX);
  hash ^= hash >>> 15;
  return hash | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which fails on -2^31). */
export function toPositive(value: number): number {
  return value & 0x7fffffff;
}

/**
 * The partition Java's producer picks for a keyed record: `toPositive(murmur2(key)) % n`.
 * Using it for every keyed output keeps our topics co-partitioned with Java producers'.
 */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/**
 * The default partitioner of the record collector. Keyed records go where Java's producer would
 * put them. Records with a `null` key are spread round-robin per topic: Java's producer uses a
 * sticky batch partitioner instead; which partition an unkeyed record lands on carries no
 * meaning, so we keep the simpler rule.
 */
export class DefaultPartitioner {
  readonly #nextUnkeyed = new Map<string, number>();

  /** The partition of a record with this key bytes (or `null`) for a topic of `numPartitions`. */
  partition(topic: string, key: Uint8Array | null, numPartitions: number): number {
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new RangeError(`Topic "${topic}" must have at least one partition to send to, got ${numPartitions}.`);
    }
    if (key !== null) return partitionForKey(key, numPartitions);
    const next = this.#nextUnkeyed.get(topic) ?? 0;
    this.#nextUnkeyed.set(topic, next + 1 >= numPartitions ? 0 : next + 1);
    return next % numPartitions;
  }
}
