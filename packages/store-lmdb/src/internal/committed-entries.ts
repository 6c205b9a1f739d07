import type { Database, RangeOptions } from 'lmdb';
import { isWithin, type ScanBounds } from './scan-bounds.js';
import { corruptionGuard } from './shared-environment.js';

type Entry = { key: Uint8Array; value: Uint8Array };
const EMPTY_KEY = Buffer.alloc(0);

/**
 * The committed entries within `bounds`, in scan order: LMDB's range plus, when stored, the
 * empty key (kept apart because LMDB rejects empty keys; it sorts before every other key).
 */
export function committedEntries(
  database: Database<Buffer, Buffer>,
  bounds: ScanBounds,
  emptyKeyValue: Buffer | undefined,
): Iterator<Entry> {
  const range = lmdbRange(database, bounds);
  if (emptyKeyValue === undefined || !isWithin(EMPTY_KEY, bounds)) return range;
  return withEmptyKey(range, { key: EMPTY_KEY, value: emptyKeyValue }, bounds.reverse);
}

function lmdbRange(database: Database<Buffer, Buffer>, bounds: ScanBounds): Iterator<Entry> {
  // A bound of the empty key: no LMDB key is below it, and only the empty key equals it.
  const lower = bounds.from !== undefined && bounds.from.length > 0 ? bounds.from : undefined;
  if (bounds.to !== undefined && bounds.to.length === 0) return [][Symbol.iterator]();
  const lowerExclusive = lower !== undefined && !bounds.fromInclusive;
  const options: RangeOptions = {};
  if (bounds.reverse) {
    if (bounds.to !== undefined) options.start = bounds.to;
    if (bounds.to !== undefined && !bounds.toInclusive) options.exclusiveStart = true;
    if (lower !== undefined) options.end = lower;
    options.inclusiveEnd = !lowerExclusive;
    options.reverse = true;
  } else {
    if (lower !== undefined) options.start = lower;
    if (lowerExclusive) options.exclusiveStart = true;
    if (bounds.to !== undefined) options.end = bounds.to;
    options.inclusiveEnd = bounds.toInclusive;
  }
  return database.getRange(options)[Symbol.iterator]() as Iterator<Entry>;
}

function* withEmptyKey(range: Iterator<Entry>, empty: Entry, reverse: boolean): Generator<Entry, undefined> {
  try {
    if (!reverse) yield empty;
    for (let result = range.next(); result.done !== true; result = range.next()) yield result.value;
    if (reverse) yield empty;
  } finally {
    range.return?.();
  }
  return undefined;
}

/**
 * `iterator` with LMDB's failures while stepping (a damaged data page: MDB_PAGE_NOTFOUND,
 * MDB_CORRUPTED) turned into a `TaskCorruptedError` naming the store.
 */
export function guardIteration(storeName: string, path: string, iterator: Iterator<Entry>): Iterator<Entry> {
  return {
    next: () => {
      try {
        return iterator.next();
      } catch (error) {
        return corruptionGuard(storeName, path, () => {
          throw error;
        });
      }
    },
    return: (value?: unknown) => iterator.return?.(value) ?? { done: true, value: undefined },
  };
}
