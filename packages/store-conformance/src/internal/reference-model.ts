import { hex } from './bytes.js';

/**
 * The obviously-correct model a backend is compared with: a Map keyed by lowercase hex,
 * sorted on every scan. Hex strings compare like the bytes they encode (two characters per
 * byte, `0-9` before `a-f`, a prefix sorts first), so plain string order is byte order.
 * Slow, but too simple to share a bug with a real ordered structure.
 */
export class ReferenceModel {
  private readonly entries = new Map<string, string>();

  get size(): number {
    return this.entries.size;
  }

  get(key: Uint8Array): string | undefined {
    return this.entries.get(hex(key));
  }

  put(key: Uint8Array, value: Uint8Array | null): string | undefined {
    const previous = this.get(key);
    if (value === null) this.entries.delete(hex(key));
    else this.entries.set(hex(key), hex(value));
    return previous;
  }

  /** `[keyHex, valueHex]` pairs of the scan, in the order the backend must return them. */
  range(from: Uint8Array | undefined, to: Uint8Array | undefined, reverse: boolean): [string, string][] {
    const lower = from === undefined ? undefined : hex(from);
    const upper = to === undefined ? undefined : hex(to);
    return this.sorted(reverse).filter(([key]) => (lower === undefined || key >= lower) && (upper === undefined || key <= upper));
  }

  prefixScan(prefix: Uint8Array, reverse: boolean): [string, string][] {
    const prefixHex = hex(prefix);
    return this.sorted(reverse).filter(([key]) => key.startsWith(prefixHex));
  }

  private sorted(reverse: boolean): [string, string][] {
    const sorted = [...this.entries].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return reverse ? sorted.reverse() : sorted;
  }
}
