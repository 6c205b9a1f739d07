import { describe, expect, it } from 'vitest';
import { Topology } from './topology.js';
import { fakeStoreBuilder, PassThrough } from './topology-fixtures.test-helper.js';

const pass = () => new PassThrough();

function wordCount() {
  return new Topology()
    .addSource('source', { topics: ['input'] })
    .addProcessor('process', pass, 'source')
    .addStateStore(fakeStoreBuilder('counts'), 'process')
    .addSink('sink', 'output', 'process');
}

describe('TopologyDescription.toString', () => {
  it('prints a small topology exactly as Kafka Streams does', () => {
    expect(wordCount().describe().toString()).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: source (topics: [input])\n' +
        '      --> process\n' +
        '    Processor: process (stores: [counts])\n' +
        '      --> sink\n' +
        '      <-- source\n' +
        '    Sink: sink (topic: output)\n' +
        '      <-- process\n' +
        '\n',
    );
  });

  it('orders nodes by the size of the graph below them, then by name', () => {
    const text = new Topology()
      .addSource('source', { topics: ['a', 'b'] })
      .addSink('z-sink', 'z', 'source')
      .addProcessor('branch', pass, 'source')
      .addSink('a-sink', 'a-out', 'branch')
      .describe()
      .toString();
    expect(text).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: source (topics: [a, b])\n' +
        '      --> branch, z-sink\n' +
        '    Processor: branch (stores: [])\n' +
        '      --> a-sink\n' +
        '      <-- source\n' +
        '    Sink: a-sink (topic: a-out)\n' +
        '      <-- branch\n' +
        '    Sink: z-sink (topic: z)\n' +
        '      <-- source\n' +
        '\n',
    );
  });

  // Java's InternalTopologyBuilder.Source.toString() prints a pattern without brackets and
  // Sink.toString() prints `extractor class: <extractor>` for a TopicNameExtractor.
  it('prints global stores in id order with the sub-topologies, and patterns and topic functions as Java does', () => {
    const text = new Topology()
      .addSource('events', { pattern: /events-.*/ })
      .addSink('route', function byType() { return 'x'; }, 'events')
      .addGlobalStore(fakeStoreBuilder('users', { logging: false }), 'users-source', { topic: 'users' }, 'users-update', pass)
      .describe()
      .toString();
    expect(text).toBe(
      'Topologies:\n' +
        '   Sub-topology: 0\n' +
        '    Source: events (topics: events-.*)\n' +
        '      --> route\n' +
        '    Sink: route (extractor class: byType)\n' +
        '      <-- events\n' +
        '\n' +
        '  Sub-topology: 1 for global store (will not generate tasks)\n' +
        '    Source: users-source (topics: [users])\n' +
        '      --> users-update\n' +
        '    Processor: users-update (stores: [users])\n' +
        '      --> none\n' +
        '      <-- users-source\n',
    );
  });
});

describe('TopologyDescription.toMermaid', () => {
  it('draws a subgraph per sub-topology with topics and stores as their own shapes', () => {
    expect(wordCount().describe().toMermaid()).toBe(
      [
        'flowchart LR',
        '  subgraph subtopology_0 ["Sub-topology: 0"]',
        '    node0["source"]',
        '    node1["process"]',
        '    store0[("counts")]',
        '    node2["sink"]',
        '  end',
        '  topic0[/"input"/]',
        '  topic1[/"output"/]',
        '  node0 --> node1',
        '  store0 -.- node1',
        '  node1 --> node2',
        '  topic0 --> node0',
        '  node2 --> topic1',
        '',
      ].join('\n'),
    );
  });
});
