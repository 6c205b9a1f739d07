import type { KeyValue, KeyValueIterator } from '@kstreams/core';

/**
 * Iterates the iterators one after the other (Java's `CompositeKeyValueIterator`): each store
 * keeps its own order; there is no order across stores (tasks hold disjoint keys). Each source
 * is opened only when reached, and `close()` closes the open one and skips the rest.
 */
export function concatIterators<K, V>(sources: readonly (() => KeyValueIterator<K, V>)[]): KeyValueIterator<K, V> {
  let index = 0;
  let current: KeyValueIterator<K, V> | undefined;
  let closed = false;
  const advance = (): KeyValueIterator<K, V> | undefined => {
    while (!closed) {
      if (current === undefined) {
        const open = sources[index++];
        if (open === undefined) return undefined;
        current = open();
      }
      if (current.peekNextKey() !== undefined) return current;
      current.close();
      current = undefined;
    }
    return undefined;
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    current?.close();
    current = undefined;
  };
  const iterator: KeyValueIterator<K, V> = {
    next() {
      const source = advance();
      const result = source?.next();
      if (result === undefined || result.done === true) {
        close();
        return { done: true, value: undefined };
      }
      return result;
    },
    peekNextKey: () => advance()?.peekNextKey(),
    close,
    [Symbol.dispose]: close,
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}

/** An iterator with no entries. */
export function emptyIterator<K, V>(): KeyValueIterator<K, V> {
  return concatIterators<K, V>([]);
}

/** The entries of `source` with their values mapped (e.g. timestamps stripped). */
export function mapValues<K, V, R>(source: KeyValueIterator<K, V>, map: (value: V) => R): KeyValueIterator<K, R> {
  const iterator: KeyValueIterator<K, R> = {
    next() {
      const result = source.next();
      if (result.done === true) return { done: true, value: undefined };
      const entry: KeyValue<K, R> = { key: result.value.key, value: map(result.value.value) };
      return { done: false, value: entry };
    },
    peekNextKey: () => source.peekNextKey(),
    close: () => source.close(),
    [Symbol.dispose]: () => source.close(),
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}
