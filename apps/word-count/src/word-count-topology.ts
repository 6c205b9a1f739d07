import {
  lmdbBackend,
  type Record,
  Serdes,
  Stores,
  Topology,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type StoreBackend,
} from 'kstreams';

/** The topics of the word count. The application creates them; kstreams never creates sink topics. */
export interface WordCountTopics {
  /** Input: one sentence per record (string values; keys are ignored). */
  readonly sentences: string;
  /** Between the two sub-topologies: one record per word, keyed by the word. */
  readonly words: string;
  /** Output: the latest count of each word (string key, int64 value). */
  readonly wordCounts: string;
}

/** The default topic names. */
export const WORD_COUNT_TOPICS: WordCountTopics = { sentences: 'sentences', words: 'word-count-words', wordCounts: 'word-counts' };

/** Name of the count store; its changelog topic is `<applicationId>-word-counts-store-changelog`. */
export const COUNT_STORE = 'word-counts-store';

/** The words of a sentence: lower-cased runs of letters, digits, apostrophes and hyphens. */
export function wordsOf(sentence: string): string[] {
  return sentence.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? [];
}

/** Splits each sentence into words and forwards one record per word, keyed by the word. */
class SplitWords implements Processor<string | null, string | null, string, string> {
  #context!: ProcessorContext<string, string>;

  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
  }

  process(record: Record<string | null, string | null>): void {
    for (const word of wordsOf(record.value ?? '')) this.#context.forward(record.withKey(word).withValue(word));
  }
}

/**
 * Counts words in the {@link COUNT_STORE} store and forwards each new count. The store is
 * cached, so a word seen many times between two commits is written to LMDB and to its
 * changelog once per commit, not once per occurrence.
 */
class CountWords implements Processor<string | null, string | null, string, number> {
  #context!: ProcessorContext<string, number>;
  #counts!: KeyValueStore<string, number>;

  init(context: ProcessorContext<string, number>): void {
    this.#context = context;
    this.#counts = context.getStateStore<KeyValueStore<string, number>>(COUNT_STORE);
  }

  process(record: Record<string | null, string | null>): void {
    const word = record.key;
    if (word === null) return;
    const count = (this.#counts.get(word) ?? 0) + 1;
    this.#counts.put(word, count);
    this.#context.forward(record.withKey(word).withValue(count));
  }
}

/**
 * The word count as two sub-topologies: sentences are split into words and written to the
 * `words` topic keyed by word (so every occurrence of a word lands on the same partition, as a
 * DSL `groupBy` repartition would), then counted in a persistent, cached and changelogged
 * key-value store and forwarded to `wordCounts`.
 *
 * @param storeBackend where the counts live; LMDB by default (needs the app's `stateDir`).
 */
export function wordCountTopology(topics: WordCountTopics = WORD_COUNT_TOPICS, storeBackend: StoreBackend = lmdbBackend()) {
  return new Topology()
    .addSource('sentences', { topics: [topics.sentences], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('split-words', () => new SplitWords(), 'sentences')
    .addSink('words-by-word', topics.words, { keySerde: Serdes.string(), valueSerde: Serdes.string() }, 'split-words')
    .addSource('words', { topics: [topics.words], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addProcessor('count-words', () => new CountWords(), 'words')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: COUNT_STORE, backend: storeBackend, keySerde: Serdes.string(), valueSerde: Serdes.int64Number() })
        .withCachingEnabled()
        .withLoggingEnabled(),
      'count-words',
    )
    .addSink('word-counts', topics.wordCounts, { keySerde: Serdes.string(), valueSerde: Serdes.int64Number() }, 'count-words');
}
