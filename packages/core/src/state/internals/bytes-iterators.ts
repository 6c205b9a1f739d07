import type { BytesIterator } from '../bytes-store.js';

type BytesKeyValue = { key: Uint8Array; value: Uint8Array };

/** Wraps a generator as a {@link BytesIterator} whose `close` also runs `onClose`. */
export function bytesIteratorOf(entries: Iterator<BytesKeyValue>, onClose: () => void = () => {}): BytesIterator {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    entries.return?.();
    onClose();
  };
  const iterator: BytesIterator = {
    next() {
      if (closed) return { done: true, value: undefined };
      const result = entries.next();
      if (result.done) close();
      return result;
    },
    close,
    [Symbol.dispose]: close,
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** An iterator with nothing in it. */
export function emptyBytesIterator(): BytesIterator {
  return bytesIteratorOf([][Symbol.iterator]());
}

/**
 * Iterates several iterators one after the other, opening each only when the previous one is
 * done, and closing whichever is open when closed early.
 */
export function concatBytesIterators(openers: readonly (() => BytesIterator)[]): BytesIterator {
  let current: BytesIterator | undefined;
  function* run(): Generator<BytesKeyValue> {
    for (const open of openers) {
      current = open();
      try {
        yield* current;
      } finally {
        current.close();
        current = undefined;
      }
    }
  }
  return bytesIteratorOf(run(), () => current?.close());
}

/** Keeps only the entries `keep` accepts; closing closes the source. */
export function filterBytesIterator(source: BytesIterator, keep: (entry: BytesKeyValue) => boolean): BytesIterator {
  function* run(): Generator<BytesKeyValue> {
    for (const entry of source) if (keep(entry)) yield entry;
  }
  return bytesIteratorOf(run(), () => source.close());
}

/** Maps entries (e.g. adds or strips a key prefix); closing closes the source. */
export function mapBytesIterator(source: BytesIterator, map: (entry: BytesKeyValue) => BytesKeyValue): BytesIterator {
  function* run(): Generator<BytesKeyValue> {
    for (const entry of source) yield map(entry);
  }
  return bytesIteratorOf(run(), () => source.close());
}
