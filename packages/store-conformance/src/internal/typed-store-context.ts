import type { Serde, StateStore, StateStoreContext } from '@kstreams/core';
import type { BackendHarness } from '../backend-harness.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 strings: their byte order is the order typed ranges must follow. */
export const stringSerde: Serde<string> = {
  serialize: (_topic, data) => encoder.encode(data),
  deserialize: (_topic, data) => decoder.decode(data ?? new Uint8Array()),
};

/** Decimal text, so failing values read well. */
export const numberSerde: Serde<number> = {
  serialize: (_topic, data) => encoder.encode(String(data)),
  deserialize: (_topic, data) => Number(decoder.decode(data ?? new Uint8Array())),
};

/** A {@link StateStoreContext} for task `0_0` of the harness, logging off, stream time settable. */
export interface TypedStoreContext extends StateStoreContext {
  streamTimeMs: number;
  readonly registered: StateStore[];
}

export function createTypedStoreContext(harness: BackendHarness): TypedStoreContext {
  const location = harness.location('unused');
  const context: TypedStoreContext = {
    streamTimeMs: 0,
    registered: [],
    applicationId: () => location.applicationId,
    taskId: () => location.taskId,
    appConfigs: () => ({}),
    stateDirectory: () => location.directory,
    currentStreamTimeMs: () => context.streamTimeMs,
    currentRecordTimestampMs: () => context.streamTimeMs,
    register: (store) => {
      context.registered.push(store);
    },
    changelogWriter: () => undefined,
    cacheBudget: () => undefined,
  };
  return context;
}
