import { compareBytes, fromHex, hex } from './bytes.js';

/**
 * The obviously-correct model a backend is compared with: a Map keyed by hex, sorted on
 * every scan. Slow, but too simple to share a bug with a real ordered structure.
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
    return this.sorted(reverse).filter(([key]) => {
      const bytes = fromHex(key);
      return (from === undefined || compareBytes(bytes, from) >= 0) && (to === undefined || compareBytes(bytes, to) <= 0);
    });
  }

  prefixScan(prefix: Uint8Array, reverse: boolean): [string, string][] {
    return this.sorted(reverse).filter(([key]) => key.startsWith(hex(prefix)));
  }

  private sorted(reverse: boolean): [string, string][] {
    const sorted = [...this.entries].sort(([left], [right]) => compareBytes(fromHex(left), fromHex(right)));
    return reverse ? sorted.reverse() : sorted;
  }
}
