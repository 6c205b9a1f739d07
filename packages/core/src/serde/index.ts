export type { Deserializer, Serde, Serializer } from './serde.js';
export { Serdes } from './serdes.js';
export type { JsonSerdeOptions } from './json-serde.js';
