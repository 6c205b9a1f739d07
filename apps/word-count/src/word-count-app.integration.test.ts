import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { SENTENCES } from './sentences.js';
import { expectedCounts, runWordCount } from './word-count-app.js';
import { COUNT_STORE } from './word-count-topology.js';

const stateDirs: string[] = [];
afterEach(() => {
  for (const directory of stateDirs.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('the word-count app against a real broker', () => {
  it('counts every word of the sentences exactly, through the words topic and the LMDB store, and logs the store', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'word-count-it-'));
    stateDirs.push(stateDir);
    const applicationId = uniqueTopicName('word-count-app');
    const topics = { sentences: uniqueTopicName('sentences'), words: uniqueTopicName('words'), wordCounts: uniqueTopicName('word-counts') };
    const lines: string[] = [];

    const counts = await runWordCount({ brokers: testBrokers(), applicationId, topics, stateDir, sentences: SENTENCES, log: (line) => lines.push(line) });

    expect(counts).toEqual(expectedCounts(SENTENCES));
    expect(counts.get('the')).toBe(7);
    expect(lines).toContain(`KafkaStreams ${applicationId}: REBALANCING -> RUNNING`);
    expect(lines.at(-1)).toBe(`KafkaStreams ${applicationId}: PENDING_SHUTDOWN -> NOT_RUNNING`);
    // The counting sub-topology (1) kept its counts in LMDB under the state directory...
    const taskDirectories = readdirSync(join(stateDir, applicationId)).filter((name) => name.startsWith('1_'));
    expect(taskDirectories.length).toBeGreaterThan(0);
    expect(taskDirectories.some((task) => existsSync(join(stateDir, applicationId, task, COUNT_STORE)))).toBe(true);
    // ...and wrote every distinct word's final count to the store's changelog at least once.
    const admin = new kafkajs.Kafka({ brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const changelog = await admin.fetchTopicOffsets(`${applicationId}-${COUNT_STORE}-changelog`);
      const changelogRecords = changelog.reduce((sum, partition) => sum + Number(partition.high), 0);
      expect(changelogRecords).toBeGreaterThanOrEqual(expectedCounts(SENTENCES).size);
    } finally {
      await admin.disconnect();
    }
  });
});
