/**
 * The request/response shape kafkajs 2.2.4's `Connection.send` takes: `encode()` returns an
 * object with a `buf`/`buffer` pair (its `Encoder` duck type), `decode` receives the response
 * bytes after the correlation id.
 */
export interface KafkajsProtocolRequest<Response> {
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    readonly apiName: string;
    encode(): Promise<{ readonly buf: Buffer; readonly buffer: Buffer }>;
  };
  readonly response: {
    decode(payload: Buffer): Promise<Response>;
    parse(decoded: Response): Promise<Response>;
  };
}

/** Wraps an encoded request body and a response decoder for kafkajs' connection. */
export function kafkajsRequest<Response>(
  header: { apiKey: number; apiVersion: number; apiName: string },
  body: Buffer,
  decode: (payload: Buffer) => Response,
): KafkajsProtocolRequest<Response> {
  const encoded = { buf: body, buffer: body };
  return {
    request: { ...header, encode: () => Promise.resolve(encoded) },
    response: { decode: (payload) => Promise.resolve(decode(payload)), parse: (decoded) => Promise.resolve(decoded) },
  };
}
