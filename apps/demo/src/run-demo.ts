import kafkajs from 'kafkajs';
import { SENTENCES } from './sentences.js';

const { Kafka, Partitioners, logLevel } = kafkajs;

/** Where the demo writes its progress. */
export type DemoLog = (line: string) => void;

/**
 * The demo itself: creates a topic, produces the sentences, and reads them back through a
 * consumer group. Returns the sentences in the order they were consumed.
 */
export async function runDemo(brokers: readonly string[], log: DemoLog): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'kstreams-demo', brokers: [...brokers], logLevel: logLevel.ERROR });
  const topic = `demo-sentences-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  log(`Created topic ${topic}`);

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: SENTENCES.map((value) => ({ key: value.split(' ')[0] ?? '', value })) });
  await producer.disconnect();
  log(`Produced ${SENTENCES.length} sentences`);

  const consumer = kafka.consumer({ groupId: `${topic}-readers` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message, partition }) => {
          const sentence = message.value?.toString() ?? '';
          received.push(sentence);
          log(`  consumed [partition ${partition}, offset ${message.offset}] ${message.key?.toString() ?? ''}: ${sentence}`);
          if (received.length === SENTENCES.length) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return received;
}
