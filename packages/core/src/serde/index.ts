export type { Deserializer, Serde, Serializer } from './serde.js';
