import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Serdes } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/test-driver';
import { afterEach, describe, expect, it } from 'vitest';
import { COUNT_STORE, WORD_COUNT_TOPICS, wordCountTopology, wordsOf } from './word-count-topology.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app's real topology, counting in LMDB under a fresh state directory. */
function startDriver() {
  const stateDir = mkdtempSync(join(tmpdir(), 'word-count-test-'));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const driver = new TopologyTestDriver(wordCountTopology(), { applicationId: 'word-count-test', stateDir });
  cleanups.push(() => driver.close());
  const sentences = driver.createInputTopic(WORD_COUNT_TOPICS.sentences, Serdes.string(), Serdes.string());
  const counts = driver.createOutputTopic(WORD_COUNT_TOPICS.wordCounts, Serdes.string(), Serdes.int64Number());
  return { driver, sentences, counts };
}

describe('wordsOf', () => {
  it('lower-cases words and drops punctuation, keeping apostrophes and hyphens inside words', () => {
    expect(wordsOf("Streams don't stop: a sub-topology, again!")).toEqual(['streams', "don't", 'stop', 'a', 'sub-topology', 'again']);
    expect(wordsOf('  ...  ')).toEqual([]);
  });
});

describe('the word-count topology', () => {
  it('counts every word across sentences and keeps the counts in its LMDB store', () => {
    const { driver, sentences, counts } = startDriver();
    sentences.pipeValueList(['the cat sat', 'The dog sat on the cat']);
    expect(counts.readKeyValuesToMap()).toEqual(new Map([['the', 3], ['cat', 2], ['sat', 2], ['dog', 1], ['on', 1]]));
    expect(driver.getKeyValueStore<string, number>(COUNT_STORE).get('the')).toBe(3);
  });

  it('forwards the running count of a word at each occurrence', () => {
    const { sentences, counts } = startDriver();
    sentences.pipeInput(null, 'to be or not to be');
    expect(counts.readKeyValuesToList()).toEqual([
      { key: 'to', value: 1 },
      { key: 'be', value: 1 },
      { key: 'or', value: 1 },
      { key: 'not', value: 1 },
      { key: 'to', value: 2 },
      { key: 'be', value: 2 },
    ]);
    sentences.pipeInput(null, 'be quick');
    expect(counts.readKeyValuesToMap()).toEqual(new Map([['be', 3], ['quick', 1]]));
  });

  it('routes words through the words topic, keyed by word, so equal words share a partition', () => {
    const { driver, sentences } = startDriver();
    const words = driver.createOutputTopic(WORD_COUNT_TOPICS.words, Serdes.string(), Serdes.string());
    sentences.pipeInput('ignored-key', 'Hello hello world');
    expect(words.readKeyValuesToList()).toEqual([
      { key: 'hello', value: 'hello' },
      { key: 'hello', value: 'hello' },
      { key: 'world', value: 'world' },
    ]);
  });

  it('ignores empty and null sentences', () => {
    const { sentences, counts } = startDriver();
    sentences.pipeValueList(['', '!!!']);
    sentences.pipeInput(null, null);
    expect(counts.isEmpty()).toBe(true);
  });
});
