/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka's RecordBatch v2.
 * Slicing-by-8 over eight 256-entry tables: eight bytes per step, no native code.
 */
const POLYNOMIAL = 0x82f63b78;

function buildTables(): Int32Array[] {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const first = tables[0] as Int32Array;
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    first[byte] = crc;
  }
  for (let byte = 0; byte < 256; byte++) {
    let crc = first[byte] as number;
    for (let slice = 1; slice < 8; slice++) {
      crc = (first[crc & 0xff] as number) ^ (crc >>> 8);
      (tables[slice] as Int32Array)[byte] = crc;
    }
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = buildTables() as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];

/** The CRC-32C of `bytes[start, end)` as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  let index = start;
  const stop8 = end - ((end - start) & 7);
  while (index < stop8) {
    const low = crc ^ (bytes[index]! | (bytes[index + 1]! << 8) | (bytes[index + 2]! << 16) | (bytes[index + 3]! << 24));
    crc =
      T7[low & 0xff]! ^ T6[(low >>> 8) & 0xff]! ^ T5[(low >>> 16) & 0xff]! ^ T4[low >>> 24]! ^
      T3[bytes[index + 4]!]! ^ T2[bytes[index + 5]!]! ^ T1[bytes[index + 6]!]! ^ T0[bytes[index + 7]!]!;
    index += 8;
  }
  while (index < end) crc = T0[(crc ^ bytes[index++]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
