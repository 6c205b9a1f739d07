import { TopologyError } from '../errors/streams-error.js';

/** What a wrong value looks like in an error message: `{}`, `"text"`, `a function`. */
function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return String(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `an object with ${keys.map((key) => `"${key}"`).join(', ')}`;
}

function hasFunctions(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return methods.every((method) => typeof (value as { [key: string]: unknown })[method] === 'function');
}

const SHAPES = {
  serde: { methods: ['serialize', 'deserialize'], what: 'a serde (an object with serialize and deserialize functions)' },
  serializer: { methods: ['serialize'], what: 'a serializer (an object with a serialize function)' },
  deserializer: { methods: ['deserialize'], what: 'a deserializer (an object with a deserialize function)' },
} as const;

/**
 * Throws a {@link TopologyError} when `value`, given for `option` of `owner` (e.g. `Source "lines"`),
 * is not a serde, serializer or deserializer. `undefined` passes: the side uses the default serde.
 */
export function checkSerdeOption(owner: string, option: string, value: unknown, kind: keyof typeof SHAPES): void {
  if (value === undefined) return;
  const shape = SHAPES[kind];
  if (hasFunctions(value, shape.methods)) return;
  throw new TopologyError(`${owner}: ${option} must be ${shape.what}, got ${describeValue(value)}. Pass e.g. Serdes.string().`);
}
