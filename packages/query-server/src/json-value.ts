/**
 * JSON text of a response body. Values JSON has no form for are converted: a bigint becomes a
 * number when it is a safe integer and a string otherwise; bytes become base64; a Map an object.
 */
export function toJson(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => jsonReady(value));
}

function jsonReady(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}
