import type { BytesIterator } from '../bytes-store.js';
import type { KeyValue, KeyValueIterator } from '../state-store.js';

type BytesKeyValue = { key: Uint8Array; value: Uint8Array };

/**
 * A typed {@link KeyValueIterator} over a bytes iterator: decodes entries lazily, supports
 * `peekNextKey`, and closes the bytes iterator (and runs `onClose` once) when exhausted or closed.
 */
export function typedIterator<K, V>(
  source: BytesIterator,
  decode: (entry: BytesKeyValue) => KeyValue<K, V>,
  onClose: () => void = () => {},
): KeyValueIterator<K, V> {
  let peeked: KeyValue<K, V> | undefined;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    peeked = undefined;
    source.close();
    onClose();
  };
  const pull = (): KeyValue<K, V> | undefined => {
    if (peeked !== undefined) {
      const next = peeked;
      peeked = undefined;
      return next;
    }
    if (closed) return undefined;
    const result = source.next();
    if (result.done === true) {
      close();
      return undefined;
    }
    return decode(result.value);
  };
  const iterator: KeyValueIterator<K, V> = {
    next() {
      const entry = pull();
      return entry === undefined ? { done: true, value: undefined } : { done: false, value: entry };
    },
    peekNextKey() {
      peeked ??= pull();
      return peeked?.key;
    },
    close,
    [Symbol.dispose]: close,
    [Symbol.iterator]() {
      return iterator;
    },
  };
  return iterator;
}
