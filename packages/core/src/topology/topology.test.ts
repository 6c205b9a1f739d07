import { describe, expect, it } from 'vitest';
import { TopologyError } from '../errors/streams-error.js';
import { Topology } from './topology.js';
import { fakeStoreBuilder, PassThrough } from './topology-fixtures.test-helper.js';

const pass = () => new PassThrough();

describe('Topology.build', () => {
  it('links parents and children and keeps the node settings', () => {
    const keyDeserializer = { deserialize: () => 'k' };
    const model = new Topology()
      .addSource('source', { topics: ['input'], keyDeserializer })
      .addProcessor('upper', pass, 'source')
      .addSink('sink', 'output', 'upper')
      .build();
    const source = model.nodes.get('source');
    expect(source).toMatchObject({ kind: 'source', topics: ['input'], children: ['upper'] });
    expect(source?.kind === 'source' && source.keyDeserializer).toBe(keyDeserializer);
    expect(model.nodes.get('upper')).toMatchObject({ kind: 'processor', parents: ['source'], children: ['sink'], fixedKey: false });
    expect(model.nodes.get('sink')).toMatchObject({ kind: 'sink', topic: 'output', parents: ['upper'] });
    expect(model.sourceNodeByTopic).toEqual(new Map([['input', 'source']]));
  });

  it('numbers sub-topologies in the order their first node was added', () => {
    const model = new Topology()
      .addSource('b-source', { topics: ['b'] })
      .addSource('a-source', { topics: ['a'] })
      .addSink('a-sink', 'a-out', 'a-source')
      .addSink('b-sink', 'b-out', 'b-source')
      .build();
    expect(model.subtopologies).toEqual([
      { id: 0, nodes: ['b-source', 'b-sink'], sourceTopics: ['b'], sourcePatterns: [], sinkTopics: ['b-out'], stores: [] },
      { id: 1, nodes: ['a-source', 'a-sink'], sourceTopics: ['a'], sourcePatterns: [], sinkTopics: ['a-out'], stores: [] },
    ]);
  });

  it('merges two branches that share a state store into one sub-topology', () => {
    const model = new Topology()
      .addSource('left', { topics: ['l'] })
      .addSource('right', { pattern: /r-.*/ })
      .addProcessor('join-left', pass, 'left')
      .addProcessor('join-right', pass, 'right')
      .addStateStore(fakeStoreBuilder('joined'), 'join-left', 'join-right')
      .build();
    expect(model.subtopologies).toHaveLength(1);
    expect(model.subtopologies[0]).toMatchObject({
      nodes: ['left', 'right', 'join-left', 'join-right'],
      sourceTopics: ['l'],
      sourcePatterns: [/r-.*/],
      stores: ['joined'],
    });
    expect(model.stores.get('joined')).toMatchObject({ processors: ['join-left', 'join-right'], subtopology: 0, global: false });
  });

  it('connects stores added before their processors with connectProcessorAndStateStores', () => {
    const model = new Topology()
      .addSource('source', { topics: ['input'] })
      .addStateStore(fakeStoreBuilder('counts'))
      .addProcessor('count', pass, 'source')
      .connectProcessorAndStateStores('count', 'counts')
      .build();
    expect(model.nodes.get('count')).toMatchObject({ stores: ['counts'] });
  });

  it('keeps a global store out of the task sub-topologies but numbers it like Kafka Streams', () => {
    const model = new Topology()
      .addGlobalStore(fakeStoreBuilder('customers', { logging: false }), 'customers-source', { topic: 'customers' }, 'customers-update', pass)
      .addSource('orders', { topics: ['orders'] })
      .addSink('out', 'enriched', 'orders')
      .build();
    expect(model.subtopologies.map((subtopology) => subtopology.id)).toEqual([1]);
    expect(model.stores.get('customers')).toMatchObject({ global: true, sourceTopic: 'customers', processors: ['customers-update'], subtopology: 0 });
    expect(model.sourceNodeByTopic.get('customers')).toBe('customers-source');
  });

  it('marks nodes added with addFixedKeyProcessor as fixed-key', () => {
    const model = new Topology()
      .addSource('source', { topics: ['input'] })
      .addFixedKeyProcessor('mask', () => ({ process: () => {} }), 'source')
      .build();
    expect(model.nodes.get('mask')).toMatchObject({ fixedKey: true });
  });

  it('accepts dynamic names on the untyped path', () => {
    const topology = Topology.untyped();
    const names = ['one', 'two'];
    topology.addSource('source', { topics: ['input'] });
    for (const name of names) topology.addProcessor(name, pass, 'source');
    expect([...topology.build().nodes.keys()]).toEqual(['source', 'one', 'two']);
  });
});

describe('Topology validation', () => {
  const untyped = () => Topology.untyped().addSource('source', { topics: ['input'] });
  const expectError = (action: () => unknown, message: RegExp) => {
    expect(action).toThrow(TopologyError);
    expect(action).toThrow(message);
  };

  it('rejects an unknown parent, naming it', () => {
    expectError(() => untyped().addProcessor('p', pass, 'missing'), /unknown parent "missing"/);
  });

  it('rejects a duplicate node name', () => {
    expectError(() => untyped().addProcessor('source', pass, 'source'), /"source" is already used by a source/);
  });

  it('rejects a processor without parents', () => {
    // @ts-expect-error the compiler already refuses a processor without parents
    expectError(() => untyped().addProcessor('p', pass), /"p" has no parent/);
  });

  it('rejects a sink as a parent', () => {
    expectError(() => untyped().addSink('sink', 'out', 'source').addProcessor('p', pass, 'sink'), /sink "sink" as parent/);
  });

  it('rejects a node that names itself as parent, as a cycle', () => {
    expectError(() => untyped().addProcessor('p', pass, 'p'), /own parent: that would make a cycle/);
  });

  it('rejects a topic read by two sources', () => {
    expectError(() => untyped().addSource('again', { topics: ['input'] }), /"input" is already read by source "source"/);
  });

  it('rejects a pattern matching a topic another source reads', () => {
    expectError(() => untyped().addSource('pattern', { pattern: /in.*/ }), /matches topic "input"/);
  });

  it('rejects a source with both topics and a pattern, or with neither', () => {
    expectError(() => Topology.untyped().addSource('s', { topics: ['t'], pattern: /t/ }), /exactly one of "topics".*or "pattern"/);
    expectError(() => Topology.untyped().addSource('s', {} as { topics: string[] }), /exactly one of "topics"/);
  });

  it('rejects an empty topic list', () => {
    expectError(() => Topology.untyped().addSource('source', { topics: [] }), /empty topic list/);
  });

  it('rejects invalid node, store and topic names', () => {
    expectError(() => Topology.untyped().addSource('has space', { topics: ['t'] }), /Invalid node name "has space"/);
    expectError(() => Topology.untyped().addSource('source', { topics: ['bad/topic'] }), /Invalid topic name "bad\/topic"/);
    expectError(() => untyped().addStateStore(fakeStoreBuilder('')), /Invalid store name ""/);
  });

  it('rejects a store connected to a missing processor', () => {
    expectError(() => untyped().addStateStore(fakeStoreBuilder('counts'), 'missing'), /Unknown processor "missing"/);
  });

  it('rejects a store connected to a source', () => {
    expectError(() => untyped().addStateStore(fakeStoreBuilder('counts'), 'source'), /"source" is a source, not a processor/);
  });

  it('rejects connecting an unknown store', () => {
    expectError(() => untyped().addProcessor('p', pass, 'source').connectProcessorAndStateStores('p', 'nope'), /unknown state store "nope"/);
  });

  it('rejects, at build(), a store that no processor uses', () => {
    expectError(() => untyped().addStateStore(fakeStoreBuilder('lonely')).build(), /"lonely" is not connected to any processor/);
  });

  it('rejects a global store with logging enabled', () => {
    expectError(
      () => Topology.untyped().addGlobalStore(fakeStoreBuilder('g'), 'g-source', { topic: 'g' }, 'g-update', pass),
      /withLoggingDisabled/,
    );
  });

  it('rejects a source with both a key deserializer and a key serde', () => {
    const serde = { serialize: () => null, deserialize: () => '' };
    expectError(() => Topology.untyped().addSource('s', { topics: ['t'], keySerde: serde, keyDeserializer: serde }), /give only one/);
  });

  it('rejects building an empty topology', () => {
    expectError(() => new Topology().build(), /topology is empty/);
  });
});
