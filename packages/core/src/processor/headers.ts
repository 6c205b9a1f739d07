/** One record header: a key and a binary value (`null` when the header has no value). */
export interface Header {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** What a header value may be given as: text is UTF-8 encoded. */
export type HeaderValue = Uint8Array | string | null;

const encoder = new TextEncoder();

function toBytes(value: HeaderValue): Uint8Array | null {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/**
 * Record headers: an ordered list where one key may repeat, as in Kafka.
 * Mutable like Java's `Headers`; `Record.withHeaders` and forwarding copy them.
 */
export class Headers implements Iterable<Header> {
  #headers: Header[];
  /**
   * False while the array may be shared with clones: copies are lazy (copy-on-write), so
   * forwarding records and `with*` calls cost nothing until someone changes the headers.
   */
  #owned: boolean;

  constructor(headers: Iterable<Header> | Record<string, HeaderValue> = []) {
    this.#headers = [];
    this.#owned = true;
    const entries = Symbol.iterator in headers
      ? (headers as Iterable<Header>)
      : Object.entries(headers).map(([key, value]) => ({ key, value: toBytes(value) }));
    for (const header of entries) this.#headers.push({ key: header.key, value: header.value });
  }

  /** Appends a header (keys may repeat). */
  add(key: string, value: HeaderValue): this {
    this.#writable().push({ key, value: toBytes(value) });
    return this;
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    if (this.lastHeader(key) === undefined) return this;
    const headers = this.#writable();
    for (let index = headers.length - 1; index >= 0; index--) {
      if (headers[index]?.key === key) headers.splice(index, 1);
    }
    return this;
  }

  /** The last header added with this key, if any. */
  lastHeader(key: string): Header | undefined {
    for (let index = this.#headers.length - 1; index >= 0; index--) {
      const header = this.#headers[index];
      if (header?.key === key) return header;
    }
    return undefined;
  }

  /** Every header with this key, oldest first. */
  headers(key: string): Header[] {
    return this.#headers.filter((header) => header.key === key);
  }

  /** All headers, in order. */
  toArray(): Header[] {
    return [...this.#headers];
  }

  get size(): number {
    return this.#headers.length;
  }

  /** A copy that can be changed without touching this one (copied lazily, on the first change). */
  clone(): Headers {
    const copy = new Headers();
    if (this.#headers.length > 0) {
      copy.#headers = this.#headers;
      copy.#owned = false;
      this.#owned = false;
    }
    return copy;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#headers[Symbol.iterator]();
  }

  #writable(): Header[] {
    if (!this.#owned) {
      this.#headers = [...this.#headers];
      this.#owned = true;
    }
    return this.#headers;
  }
}
