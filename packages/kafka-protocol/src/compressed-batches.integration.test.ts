import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveKafkaJars } from '@kstreams/kafka-broker';
import { testBrokers } from '@kstreams/kafka-broker/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRequest } from './fetch-request.js';
import { kafkajsProducerCluster, type ProducerCluster } from './internal/kafkajs-producer-cluster.js';
import { CODEC_NAMES } from './internal/decompress.js';
import { createTopic, testKafka } from './internal/testing/integration-kafka.js';
import { readRecordBatches } from './record-batch-reader.js';

const run = promisify(execFile);
const JAVA_PRODUCER = fileURLToPath(new URL('./internal/testing/compressed-producer.java', import.meta.url));
const RECORDS = 3_000;
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** What compressed-producer.java writes as record `index`. */
function expectedRecord(index: number): string {
  const value = index % 10 === 9 ? null : `value-${index}-${'abcdefghij'.repeat(1 + (index % 9))}`;
  return `${index}:key-${index}=${value ?? '<null>'};seq=${index}`;
}

/** Fetches partition 0 from offset 0 to the high watermark; returns the records and the codecs of the batches seen. */
async function fetchAll(cluster: ProducerCluster, topic: string): Promise<{ records: string[]; codecs: Set<string> }> {
  await cluster.ensureTopics([topic]);
  const leader = cluster.leaderOf(topic, 0);
  if (leader === undefined) throw new Error(`No leader known for ${topic}-0`);
  const records: string[] = [];
  const codecs = new Set<string>();
  let offset = 0;
  for (let attempt = 0; attempt < 200; attempt++) {
    // 64 KiB per fetch: several fetches, some ending in a partial batch.
    const request = fetchRequest({ isolationLevel: 1, maxWaitMs: 100, minBytes: 1, maxBytes: 64 * 1024, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: offset, maxBytes: 64 * 1024 }] }] });
    const data = (await cluster.send(leader, request)).topics[0]?.partitions[0];
    if (data === undefined || data.errorCode !== 0) throw new Error(`Fetching ${topic}-0 at ${offset} failed with error code ${data?.errorCode}`);
    for (let position = 0; position + 61 <= data.records.length; position += 12 + data.records.readInt32BE(position + 8)) codecs.add(CODEC_NAMES[data.records.readInt16BE(position + 21) & 0x07] ?? '?');
    const read = readRecordBatches(data.records, offset, data.abortedTransactions, (recordOffset, _timestamp, bytes, keyStart, keyLength, valueStart, valueLength, headers) => {
      const value = valueLength < 0 ? '<null>' : bytes.toString('utf8', valueStart, valueStart + valueLength);
      return `${recordOffset}:${bytes.toString('utf8', keyStart, keyStart + keyLength)}=${value};${headers.map((header) => `${header.key}=${header.value?.toString() ?? ''}`).join(',')}`;
    });
    records.push(...read.records);
    offset = read.nextOffset ?? offset;
    if (offset >= data.highWatermark) return { records, codecs };
  }
  throw new Error(`${topic}-0: only ${records.length} records read after 200 fetches`);
}

describe('compressed batches written by the Java producer', () => {
  it('reads every record of gzip, snappy, lz4 and zstd topics', async () => {
    const kafka = testKafka();
    const topics = await Promise.all(CODECS.map(() => createTopic(kafka, { partitions: 1 })));
    const { classPath } = await resolveKafkaJars();
    const assignments = CODECS.map((codec, index) => `${topics[index]}=${codec}`);
    await run('java', ['-cp', classPath, JAVA_PRODUCER, testBrokers().join(','), String(RECORDS), ...assignments], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });

    const cluster = kafkajsProducerCluster(kafka);
    await cluster.connect();
    closers.push(() => cluster.disconnect());
    const expected = Array.from({ length: RECORDS }, (_, index) => expectedRecord(index));
    for (const [index, codec] of CODECS.entries()) {
      const { records, codecs } = await fetchAll(cluster, topics[index] as string);
      expect(codecs, `${codec} topic's batch codecs`).toEqual(new Set([codec]));
      expect(records, `${codec} topic's records`).toEqual(expected);
    }
  }, 120_000);
});
