/**
 * Compile-time checks of the typed Topology builder, run by `tsc --noEmit -p .`.
 * Each `@ts-expect-error` line must fail to compile; the others must compile.
 */
import { expectTypeOf } from 'vitest';
import type { Deserializer, Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import { Topology } from './topology.js';
import { BigintSink, Counter, fakeStoreBuilder, PassThrough } from './topology-fixtures.test-helper.js';

declare const stringSerde: Serde<string>;
declare const numberDeserializer: Deserializer<number>;

const words = new Topology()
  .addSource('source', { topics: ['text'], keySerde: stringSerde, valueSerde: stringSerde })
  .addProcessor('count', () => new Counter(), 'source');

// The node map records what every node emits.
expectTypeOf(words).toEqualTypeOf<Topology<{ readonly source: [string, string] } & { readonly count: [string, bigint] }, 'source' | 'count'>>();

// A child whose input fits its parent's output compiles.
words.addProcessor('total', () => new BigintSink(), 'count');
// Sinks check their serializers against the parent's output.
words.addSink('out', 'counts', { valueSerializer: { serialize: (_topic: string, value: bigint) => new Uint8Array([Number(value)]) } }, 'count');

// @ts-expect-error a string processor cannot read bigint counts
words.addProcessor('wrong', () => new PassThrough(), 'count');

// @ts-expect-error a bigint processor cannot read the string source
words.addProcessor('wrong', () => new BigintSink(), 'source');

// @ts-expect-error the node name "count" is already used
words.addProcessor('count', () => new BigintSink(), 'count');

// @ts-expect-error unknown parent
words.addProcessor('other', () => new PassThrough(), 'missing');

// @ts-expect-error a processor needs a parent
words.addProcessor('orphan', () => new PassThrough());

// @ts-expect-error a sink is not a parent
words.addSink('out', 'counts', 'count').addProcessor('after-sink', () => new BigintSink(), 'out');

// Several parents: the union of their outputs must fit.
const mixed = new Topology()
  .addSource('strings', { topics: ['a'], keySerde: stringSerde, valueSerde: stringSerde })
  .addSource('numbers', { topics: ['b'], keySerde: stringSerde, valueDeserializer: numberDeserializer });
// @ts-expect-error number values do not fit a string processor
mixed.addProcessor('both', () => new PassThrough(), 'strings', 'numbers');
mixed.addProcessor('strings-only', () => new PassThrough(), 'strings');

// Stores: only names added with addStateStore can be connected.
const withStore = words.addStateStore(fakeStoreBuilder('counts'));
withStore.connectProcessorAndStateStores('count', 'counts');
// @ts-expect-error unknown store name
withStore.connectProcessorAndStateStores('count', 'totals');

// Global store: the processor input must fit the topic's types.
new Topology().addGlobalStore(fakeStoreBuilder('g', { logging: false }), 'g-source', { topic: 'g', keySerde: stringSerde, valueSerde: stringSerde }, 'g-update', () => new PassThrough());
// @ts-expect-error bigint processor on a string topic
new Topology().addGlobalStore(fakeStoreBuilder('g', { logging: false }), 'g-source', { topic: 'g', keySerde: stringSerde, valueSerde: stringSerde }, 'g-update', () => new BigintSink());

// The untyped path accepts run-time names and anything as parent.
const dynamicName: string = 'p';
Topology.untyped().addSource('s', { topics: ['t'] }).addProcessor(dynamicName, () => new BigintSink(), 's', dynamicName);

// Fixed-key processors keep the parent's key type and emit their own value type.
declare const toLength: () => {
  init(context: import('../processor/processor-context.js').FixedKeyProcessorContext<string, number>): void;
  process(record: import('../processor/record.js').Record<string, string>): void;
};
const lengths = words.addFixedKeyProcessor('length', toLength, 'source');
// @ts-expect-error number values do not fit a string processor
lengths.addProcessor('wrong-length', () => new PassThrough(), 'length');
expectTypeOf(lengths).toMatchTypeOf<Topology<{ readonly length: [string, number] }, 'length'>>();

// Serdes say that keys and values may be null (tombstones, unkeyed records): the processor must accept it.
const nullable = new Topology().addSource('source', { topics: ['t'], valueSerde: Serdes.string() });
// @ts-expect-error string | null values do not fit a Processor<string, string>
nullable.addProcessor('strict', () => new PassThrough(), 'source');
