import { InvalidStateStoreError } from '../errors/streams-error.js';
import type { StateStore } from '../state/state-store.js';

/** Methods that change a store (or its lifecycle), on any store type: rejected by the view. */
const WRITE_METHODS: ReadonlySet<PropertyKey> = new Set([
  'put',
  'putIfAbsent',
  'putAll',
  'delete',
  'deleteAll',
  'remove',
  'init',
  'flush',
  'close',
]);

/**
 * The view of a global store that stream processors get from `getStateStore(name)`: every read
 * method of the underlying store (key-value, timestamped, window or session), while writes and
 * lifecycle calls throw an `InvalidStateStoreError`. As in Kafka Streams, only the global
 * store's own processor writes it, from its topic.
 */
export function readOnlyGlobalStore<S extends StateStore>(store: S, topic: string | undefined): S {
  const bound = new Map<PropertyKey, unknown>();
  const rejectWrite = (method: string) => (): never => {
    throw new InvalidStateStoreError(
      `Global store "${store.name}" is read-only for stream processors: ${method}() was called. ` +
        `Only the processor given to addGlobalStore() writes it; to change it, produce to its topic${topic === undefined ? '' : ` "${topic}"`}.`,
    );
  };
  return new Proxy(store, {
    get(target, property) {
      const cached = bound.get(property);
      if (cached !== undefined) return cached;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = WRITE_METHODS.has(property) ? rejectWrite(String(property)) : (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(property, method);
      return method;
    },
    set(_target, property) {
      return rejectWrite(`set ${String(property)}`)();
    },
  });
}
