import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { KafkaStreams, type MetricsRecordingLevel } from 'kstreams';
import type { MeterProvider } from '@opentelemetry/api';
import { createTopics as createSampleTopics, endedInError } from 'kstreams-sample-kit';
import { wordCountTopology, wordsOf, type WordCountTopics } from './word-count-topology.js';

const { logLevel } = kafkajs;

/** Where the app writes its progress. */
export type AppLog = (line: string) => void;

/** One run of the sample app. */
export interface WordCountRun {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly topics: WordCountTopics;
  /** KafkaStreams' state directory: the LMDB count store lives below it. */
  readonly stateDir: string;
  readonly sentences: readonly string[];
  /** Partitions of each topic. Default 3. */
  readonly partitions?: number;
  /** How long to wait for every count. Default 45 s. */
  readonly timeoutMs?: number;
  readonly log?: AppLog;
  /** Where kstreams' metrics go (the app's OpenTelemetry SDK); default: the global provider. */
  readonly meterProvider?: MeterProvider;
  /** Default INFO. */
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
  /** Called once every count was read back, while KafkaStreams still runs (e.g. to serve or scrape metrics). */
  readonly whileRunning?: (streams: KafkaStreams) => Promise<void>;
}

/** The count of every word in `sentences`: what the app must read back. */
export function expectedCounts(sentences: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of sentences.flatMap(wordsOf)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/**
 * Runs the word count end to end: creates the topics, produces the sentences, starts
 * KafkaStreams on the word-count topology, reads `wordCounts` back through a consumer group
 * until every word has its count, and closes KafkaStreams. Returns the latest count per word as
 * read from Kafka.
 */
export async function runWordCount(run: WordCountRun): Promise<Map<string, number>> {
  const log = run.log ?? (() => {});
  const kafka = new kafkajs.Kafka({ clientId: `${run.applicationId}-tools`, brokers: [...run.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopics(admin, run.topics, run.partitions ?? 3, log);
    await produceSentences(kafka, run.topics.sentences, run.sentences);
    log(`Produced ${run.sentences.length} sentences to "${run.topics.sentences}".`);

    const streams = new KafkaStreams(wordCountTopology(run.topics), {
      applicationId: run.applicationId,
      bootstrapServers: run.brokers,
      stateDir: run.stateDir,
      processingGuarantee: 'at_least_once',
      commitIntervalMs: 1_000,
      ...(run.meterProvider === undefined ? {} : { meterProvider: run.meterProvider }),
      ...(run.metricsRecordingLevel === undefined ? {} : { metricsRecordingLevel: run.metricsRecordingLevel }),
    });
    streams.onStateChange((next, previous) => log(`KafkaStreams ${run.applicationId}: ${previous} -> ${next}`));
    const failed = endedInError(streams, run.applicationId);
    try {
      await streams.start();
      const counts = await readCounts(kafka, run.topics.wordCounts, expectedCounts(run.sentences), { timeoutMs: run.timeoutMs ?? 45_000, failed });
      await run.whileRunning?.(streams);
      return counts;
    } finally {
      const closed = await streams.close({ timeoutMs: 15_000 });
      if (!closed) log('KafkaStreams did not close within 15 s.');
    }
  } finally {
    await admin.disconnect();
  }
}

/** Creates the input, words and output topics (kstreams never creates sink topics). */
async function createTopics(admin: Admin, topics: WordCountTopics, partitions: number, log: AppLog): Promise<void> {
  const names = [topics.sentences, topics.words, topics.wordCounts];
  const created = await createSampleTopics(admin, names.map((topic) => ({ topic, partitions })));
  log(`${created ? 'Created' : 'Using existing'} topics ${names.map((name) => `"${name}"`).join(', ')} (${partitions} partitions each).`);
}

/**
 * Produces the sentences without keys, so they spread over the input partitions. Idempotent, so
 * a retried request (a new topic's leaders are still settling) cannot write a sentence twice.
 */
async function produceSentences(kafka: Kafka, topic: string, sentences: readonly string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: { retries: 10 } });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: sentences.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Reads `topic` (string keys, int64 counts) from the beginning until the latest count of every
 * expected word is at least its expected count; throws after `timeoutMs` naming what is missing,
 * or as soon as `failed` rejects.
 */
async function readCounts(
  kafka: Kafka,
  topic: string,
  expected: ReadonlyMap<string, number>,
  { timeoutMs, failed }: { timeoutMs: number; failed: Promise<never> },
): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${Date.now().toString(36)}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const complete = (): boolean => [...expected].every(([word, count]) => (latest.get(word) ?? 0) >= count);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const missing = [...expected].filter(([word, count]) => (latest.get(word) ?? 0) < count).map(([word, count]) => `${word} (${latest.get(word) ?? 0}/${count})`);
        reject(new Error(`Timed out after ${timeoutMs} ms reading "${topic}": still waiting for ${missing.join(', ')}`));
      }, timeoutMs);
      failed.catch((error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key === null || message.value === null) return;
            latest.set(message.key.toString(), Number(message.value.readBigInt64BE()));
            if (complete()) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return latest;
  } finally {
    await consumer.disconnect();
  }
}
