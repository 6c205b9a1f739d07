/**
 * A word-count app started without its sink topic, for `missing-sink-topic.integration.test.ts`.
 * Arguments: `<brokers> <applicationId> <sentences> <words> <wordCounts> <stateDir>`. Creates only
 * the sentences and words topics, produces a few sentences, runs KafkaStreams with the default
 * logger, and exits as the sample app does: 1 once the instance ends in ERROR.
 */
import kafkajs from 'kafkajs';
import { KafkaStreams } from 'kstreams';
import { endedInError, runMain } from 'kstreams-sample-kit';
import { wordCountTopology } from '../word-count-topology.js';

const [brokers = '', applicationId = '', sentences = '', words = '', wordCounts = '', stateDir = ''] = process.argv.slice(2);

async function main(): Promise<void> {
  const kafka = new kafkajs.Kafka({ clientId: `${applicationId}-tools`, brokers: brokers.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [sentences, words].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: sentences, messages: [{ value: 'all streams flow to the sea' }] });
  await producer.disconnect();

  const streams = new KafkaStreams(wordCountTopology({ sentences, words, wordCounts }), { applicationId, bootstrapServers: brokers, stateDir, commitIntervalMs: 1_000 });
  const failed = endedInError(streams, applicationId);
  try {
    await streams.start();
    await failed;
  } finally {
    await streams.close({ timeoutMs: 15_000 });
  }
}

runMain('missing-sink-app', main);
