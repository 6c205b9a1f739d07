import { describe, expect, it } from 'vitest';
import { ConfigError, TopologyError } from '../errors/streams-error.js';
import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { Stores } from '../state/stores.js';
import { Topology } from './topology.js';
import { fakeStoreBuilder, PassThrough } from './topology-fixtures.test-helper.js';

const shared = new PassThrough();
const notASerde = {} as Serde<string>;
const backend = { kind: 'fake', persistent: false, openStore: () => { throw new Error('not used'); } };

describe('Topology supplier checks', () => {
  it('rejects a processor supplier that returns the same instance twice, naming the processor', () => {
    const topology = new Topology().addSource('in', { topics: ['input'] });
    expect(() => topology.addProcessor('shared', () => shared, 'in')).toThrow(TopologyError);
    expect(() => topology.addProcessor('shared', () => shared, 'in')).toThrow(
      'Processor "shared": its supplier returned the same processor instance on two calls',
    );
  });

  it('rejects a shared instance in addFixedKeyProcessor and addGlobalStore too', () => {
    const topology = new Topology().addSource('in', { topics: ['input'] });
    expect(() => topology.addFixedKeyProcessor('fixed', () => shared, 'in')).toThrow(/Processor "fixed": its supplier returned the same/);
    const store = fakeStoreBuilder('global-store', { logging: false });
    expect(() => new Topology().addGlobalStore(store, 'global-in', { topic: 'g' }, 'global-update', () => shared)).toThrow(
      /Processor "global-update": its supplier returned the same/,
    );
  });

  it('accepts a supplier that returns a new processor on every call', () => {
    expect(() => new Topology().addSource('in', { topics: ['input'] }).addProcessor('fresh', () => new PassThrough(), 'in')).not.toThrow();
  });
});

describe('Topology serde checks', () => {
  it('rejects a source value serde that is not a serde, naming the node and the option', () => {
    expect(() => new Topology().addSource('lines', { topics: ['input'], valueSerde: notASerde })).toThrow(TopologyError);
    expect(() => new Topology().addSource('lines', { topics: ['input'], valueSerde: notASerde })).toThrow(
      'Source "lines": valueSerde must be a serde (an object with serialize and deserialize functions), got {}.',
    );
  });

  it('rejects a source key deserializer without a deserialize function', () => {
    const keyDeserializer = { serialize: () => null } as never;
    expect(() => new Topology().addSource('lines', { topics: ['input'], keyDeserializer })).toThrow(
      'Source "lines": keyDeserializer must be a deserializer (an object with a deserialize function), got an object with "serialize".',
    );
  });

  it('rejects sink serdes and serializers that are not ones', () => {
    const topology = new Topology().addSource('in', { topics: ['input'] });
    expect(() => topology.addSink('out', 'output', { keySerde: notASerde }, 'in')).toThrow('Sink "out": keySerde must be a serde');
    expect(() => topology.addSink('out', 'output', { valueSerializer: 'string' as never }, 'in')).toThrow(
      'Sink "out": valueSerializer must be a serializer (an object with a serialize function), got "string".',
    );
  });

  it('rejects store builder serdes that are not serdes, naming the store and the option', () => {
    expect(() => Stores.keyValueStoreBuilder({ name: 'counts', backend, keySerde: Serdes.string(), valueSerde: notASerde })).toThrow(
      new TopologyError('State store "counts": valueSerde must be a serde (an object with serialize and deserialize functions), got {}. Pass e.g. Serdes.string().'),
    );
    expect(() => Stores.windowStoreBuilder({ name: 'windows', backend, keySerde: notASerde, valueSerde: Serdes.string(), retentionMs: 10, windowSizeMs: 10 })).toThrow(
      'State store "windows": keySerde must be a serde',
    );
    expect(() => Stores.sessionStoreBuilder({ name: 'sessions', backend, keySerde: Serdes.string(), valueSerde: notASerde, retentionMs: 10 })).toThrow(
      'State store "sessions": valueSerde must be a serde',
    );
  });

  it('still reports a missing store serde as a missing option', () => {
    expect(() => Stores.keyValueStoreBuilder({ name: 'counts', backend, keySerde: Serdes.string(), valueSerde: undefined as never })).toThrow(ConfigError);
  });
});
