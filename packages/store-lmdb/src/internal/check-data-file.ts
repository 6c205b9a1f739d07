import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
const MAGIC_OFFSET = 0x18;
const PAGE_SIZE_OFFSET = 0x30;
const LAST_PAGE_OFFSET = 0x90;
const TRANSACTION_ID_OFFSET = 0x98;

/**
 * Checks the two meta pages of an existing LMDB `data.mdb` before LMDB maps it: opening a
 * damaged file can crash the process inside the native binding instead of throwing. Returns a
 * reason when the file is damaged, `undefined` when it looks sound (or does not exist yet).
 * Damage inside data pages is beyond what this cheap check sees.
 */
export function checkDataFile(path: string): string | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : `cannot be read (${String(error)})`;
  }
  try {
    return checkOpenFile(descriptor);
  } catch (error) {
    // E.g. EISDIR: a directory in place of the file.
    return `cannot be read (${String(error)})`;
  } finally {
    closeSync(descriptor);
  }
}

function checkOpenFile(descriptor: number): string | undefined {
  const fileSize = fstatSync(descriptor).size;
  if (fileSize === 0) return 'is empty (0 bytes)';
  const first = readBytes(descriptor, 0, 0xa0);
  if (first.length < 0xa0 || first.readUInt32LE(MAGIC_OFFSET) !== MAGIC) return 'has no valid LMDB header';
  const pageSize = first.readUInt32LE(PAGE_SIZE_OFFSET);
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) return `has an invalid page size ${pageSize}`;
  const second = readBytes(descriptor, pageSize, 0xa0);
  if (second.length < 0xa0 || second.readUInt32LE(MAGIC_OFFSET) !== MAGIC) return 'has a damaged second meta page';
  // LMDB uses the meta page with the newer transaction; its last page must lie within the file.
  const newest =
    first.readBigUInt64LE(TRANSACTION_ID_OFFSET) >= second.readBigUInt64LE(TRANSACTION_ID_OFFSET) ? first : second;
  const lastPage = newest.readBigUInt64LE(LAST_PAGE_OFFSET);
  if ((lastPage + 1n) * BigInt(pageSize) > BigInt(fileSize)) {
    return `is truncated (${fileSize} bytes, expected at least ${(lastPage + 1n) * BigInt(pageSize)})`;
  }
  return undefined;
}

function readBytes(descriptor: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(descriptor, buffer, 0, length, position);
  return buffer.subarray(0, read);
}
