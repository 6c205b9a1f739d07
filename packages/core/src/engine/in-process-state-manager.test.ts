import { describe, expect, it } from 'vitest';
import { InvalidStateStoreError } from '../errors/streams-error.js';
import type { StateStore, StateStoreContext, StoreBuilder } from '../state/state-store.js';
import type { StoreModel } from '../topology/topology-model.js';
import { InProcessStateManager } from './in-process-state-manager.js';

function fakeStore(name: string, events: string[], options: { cached?: boolean; registerTwice?: boolean } = {}): StoreModel {
  const store: StateStore & { flushCache?: () => void } = {
    name,
    persistent: false,
    isOpen: () => true,
    init: (context: StateStoreContext) => {
      events.push(`init ${name} in ${context.taskId()} at ${context.currentStreamTimeMs()}`);
      context.register(store, () => undefined);
      if (options.registerTwice === true) context.register(store, () => undefined);
    },
    flush: () => { events.push(`flush ${name}`); },
    close: () => { events.push(`close ${name}`); },
    ...(options.cached === true ? { flushCache: () => { events.push(`flush cache ${name}`); } } : {}),
  };
  const builder = { name, build: () => store } as unknown as StoreBuilder<StateStore>;
  return { name, builder, processors: [], subtopology: 0, global: false, sourceTopic: undefined };
}

const options = (registered: string[] = []) => ({
  applicationId: 'app', taskId: '0_1', appConfigs: {}, stateDirectory: undefined, streamTimeMs: () => 42,
  hooks: { onRegister: (store: StateStore) => { registered.push(store.name); } },
});

describe('InProcessStateManager', () => {
  it('initialises stores in order, reports registrations and flushes every cache before any store', () => {
    const events: string[] = [];
    const registered: string[] = [];
    const manager = new InProcessStateManager(options(registered));
    manager.initialize([fakeStore('a', events, { cached: true }), fakeStore('b', events, { cached: true })]);
    manager.flush();
    manager.close();
    manager.close();
    expect(events).toEqual(['init a in 0_1 at 42', 'init b in 0_1 at 42', 'flush cache a', 'flush cache b', 'flush a', 'flush b', 'close a', 'close b']);
    expect(registered).toEqual(['a', 'b']);
    expect(manager.getStore('b')?.name).toBe('b');
  });

  it('rejects a store registering twice, naming it', () => {
    const manager = new InProcessStateManager(options());
    expect(() => manager.initialize([fakeStore('dup', [], { registerTwice: true })])).toThrow(InvalidStateStoreError);
  });
});
