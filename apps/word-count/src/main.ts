import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKafka } from '@kstreams/kafka-broker';
import { appTelemetry, runMain } from 'kstreams-sample-kit';
import { formatCountTable } from './count-table.js';
import { SENTENCES } from './sentences.js';
import { expectedCounts, runWordCount } from './word-count-app.js';
import { WORD_COUNT_TOPICS, type WordCountTopics } from './word-count-topology.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * The sample app: starts a local broker (or uses KAFKA_BROKERS), counts the words of a few
 * sentences with kstreams, prints the counts read back from Kafka, and always stops the broker.
 * Exits with code 1 when anything fails, including KafkaStreams ending in ERROR.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const external = process.env['KAFKA_BROKERS'];
  log(external === undefined || external === '' ? 'Starting a local Kafka broker...' : `Using the Kafka cluster in KAFKA_BROKERS: ${external}`);
  const kafka = await useKafka();
  // On a shared cluster, fresh names per run keep earlier runs' counts out of this one.
  const suffix = kafka.cluster === undefined ? `-${Date.now().toString(36)}` : '';
  const topics: WordCountTopics = {
    sentences: `${WORD_COUNT_TOPICS.sentences}${suffix}`,
    words: `${WORD_COUNT_TOPICS.words}${suffix}`,
    wordCounts: `${WORD_COUNT_TOPICS.wordCounts}${suffix}`,
  };
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-word-count-'));
  try {
    if (kafka.cluster !== undefined) log(`Kafka is up on ${kafka.brokers.join(',')} (started in ${kafka.cluster.timings.totalMs} ms).`);
    const telemetry = appTelemetry();
    const counts = await runWordCount({
      brokers: kafka.brokers, applicationId: `word-count${suffix}`, topics, stateDir, sentences: SENTENCES, log, meterProvider: telemetry.meterProvider,
      whileRunning: async (streams) => {
        await using server = await telemetry.serve(streams, Number(process.env['KSTREAMS_METRICS_PORT'] ?? 0));
        const metricLines = (await (await fetch(`${server.url}/metrics`)).text()).split('\n').filter((line) => line.startsWith('kstreams_'));
        log(`Health (${server.url}/health): ${JSON.stringify(streams.health())}`);
        log(`Metrics (${server.url}/metrics): ${metricLines.length} kstreams series, e.g. ${metricLines.find((line) => line.startsWith('kstreams_thread_process_total')) ?? 'none yet'}`);
      },
    });
    await telemetry.shutdown();
    const expected = expectedCounts(SENTENCES);
    const exact = [...expected].every(([word, count]) => counts.get(word) === count);
    log('');
    log(`Word counts read back from "${topics.wordCounts}":`);
    for (const line of formatCountTable(counts)) log(line);
    log('');
    log(exact ? `All ${expected.size} words counted exactly.` : 'Some words were counted more than once (at-least-once replay after a rebalance).');
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await kafka.close();
    if (kafka.cluster !== undefined) log('Stopped the local Kafka broker.');
  }
  log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

runMain('word-count', main);
