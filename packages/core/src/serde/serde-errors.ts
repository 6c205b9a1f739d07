import { SerializationError } from '../errors/streams-error.js';

/** A `SerializationError` naming the serde, the topic, what went wrong and how to fix it. */
export function serdeError(serdeName: string, topic: string, problem: string, fix: string, cause?: unknown): SerializationError {
  return new SerializationError(`Serdes.${serdeName}() on topic "${topic}": ${problem}. ${fix}`, cause === undefined ? {} : { cause });
}

/** Checks the byte length of fixed-size data. */
export function expectLength(serdeName: string, topic: string, data: Uint8Array, length: number): void {
  if (data.byteLength !== length) {
    throw serdeError(
      serdeName,
      topic,
      `got ${data.byteLength} bytes, expected exactly ${length}`,
      'Use the serde that matches how the producer wrote this topic.',
    );
  }
}

/** A DataView over exactly the bytes of `data` (which may be a slice of a larger buffer). */
export function viewOf(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}
