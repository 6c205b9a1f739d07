import type { Database } from 'lmdb';

/**
 * Copies `end - start` bytes at `start` of `source` into a new plain `Uint8Array` (one
 * allocation). A `Buffer`'s own `slice` would return a `Buffer`, so the copy goes through a
 * plain view of the whole backing memory, kept while lmdb-js reuses the same buffer.
 */
class PlainCopier {
  #backing: ArrayBufferLike | undefined;
  #view: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  copy(source: Uint8Array, start: number, end: number): Uint8Array {
    if (source.buffer !== this.#backing) {
      this.#backing = source.buffer;
      this.#view = new Uint8Array(source.buffer);
    }
    return this.#view.slice(source.byteOffset + start, source.byteOffset + end);
  }
}

const valueCopier = new PlainCopier();
const keyCopier = new PlainCopier();

/**
 * The lmdb-js value encoder of every store database: values are stored as given and read back
 * as private plain `Uint8Array` copies, which is what the bytes-store contract returns. With
 * lmdb-js' `binary` encoding each read would allocate a `Buffer` copy and then a plain view of
 * it; this encoder allocates once. lmdb-js passes the size of the value read as the second
 * argument of a scan and as `bytes.length` (set on its reused read buffer) of a get.
 */
export const PLAIN_BYTES_ENCODER = {
  encode: (value: Uint8Array): Uint8Array => value,
  decode: (bytes: Uint8Array, size?: unknown): Uint8Array =>
    valueCopier.copy(bytes, 0, typeof size === 'number' ? size : bytes.length),
} as const;

/**
 * Makes scans of `database` return keys as plain `Uint8Array` copies as well. lmdb-js (pinned
 * at 3.5.6) reads each scanned key through the database's `readKey(buffer, start, end)`, which
 * for binary keys returns a `Buffer` copy; it is replaced by a function returning a plain copy.
 * Callers still accept a `Buffer`, so a future lmdb-js without this hook stays correct.
 */
export function readKeysAsPlainBytes(database: Database<Buffer, Buffer>): void {
  const target = database as unknown as { readKey?: unknown };
  if (typeof target.readKey === 'function') {
    target.readKey = (source: Uint8Array, start: number, end: number): Uint8Array => keyCopier.copy(source, start, end);
  }
}
