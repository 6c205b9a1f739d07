import type { BytesRangeOptions } from '@kstreams/core';
import { asBuffer, compareBytes, prefixUpperBound } from './compare-bytes.js';

/** Bounds of one scan, normalised so ranges and prefix scans share one code path. */
export interface ScanBounds {
  readonly from: Buffer | undefined;
  readonly fromInclusive: boolean;
  readonly to: Buffer | undefined;
  readonly toInclusive: boolean;
  readonly reverse: boolean;
}

/** Bounds of `range({ from, to, reverse })`; both ends inclusive. */
export function rangeBounds(options: BytesRangeOptions = {}): ScanBounds {
  return {
    from: options.from === undefined ? undefined : asBuffer(options.from),
    fromInclusive: true,
    to: options.to === undefined ? undefined : asBuffer(options.to),
    toInclusive: true,
    reverse: options.reverse ?? false,
  };
}

/** Bounds of `prefixScan(prefix)`: from the prefix up to its exclusive upper bound. */
export function prefixBounds(prefix: Uint8Array, reverse: boolean): ScanBounds {
  return {
    from: prefix.length === 0 ? undefined : asBuffer(prefix),
    fromInclusive: true,
    to: prefixUpperBound(prefix),
    toInclusive: false,
    reverse,
  };
}

/** True when no key can satisfy the bounds (e.g. `from` after `to`). */
export function isEmptyScan(bounds: ScanBounds): boolean {
  if (bounds.from === undefined || bounds.to === undefined) return false;
  const order = compareBytes(bounds.from, bounds.to);
  return order > 0 || (order === 0 && !(bounds.fromInclusive && bounds.toInclusive));
}

/** True when `key` lies within the bounds. */
export function isWithin(key: Uint8Array, bounds: ScanBounds): boolean {
  if (bounds.from !== undefined) {
    const order = compareBytes(key, bounds.from);
    if (order < 0 || (order === 0 && !bounds.fromInclusive)) return false;
  }
  if (bounds.to !== undefined) {
    const order = compareBytes(key, bounds.to);
    if (order > 0 || (order === 0 && !bounds.toInclusive)) return false;
  }
  return true;
}
