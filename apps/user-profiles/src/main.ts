import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { runMain } from 'kstreams-sample-kit';
import { userIdOf } from './profile-event-generator.js';
import { produceEvents } from './produce-events.js';
import { compareViews, foldEventLog, formatComparison, readPublishedView } from './profile-views.js';
import { prepareReplayFrom, queryView } from './replay.js';
import { startUserProfiles, type UserProfilesAppTopics } from './user-profiles-app.js';

const events = Number(process.env['PROFILES_EVENTS'] ?? 200_000);
const users = Number(process.env['PROFILES_USERS'] ?? 10_000);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Broken records written before the events: the app sends them to its dead-letter topic. */
const POISON = [
  { key: 'user-1', value: '{"schema":1,"userId":"user-1",' },
  { key: 'user-2', value: '{"schema":3,"userId":"user-2","seq":1,"type":"UserRegistered"}' },
];

/**
 * `npm run user-profiles`: the Kappa architecture in one run, against a local broker it starts
 * (or KAFKA_BROKERS). Writes PROFILES_EVENTS profile events (v1, then v2) spread over the last
 * hour; folds them into the view under application id "blue" and queries it over HTTP; replays
 * the whole log under "green" while blue keeps serving and compares the views; replays from
 * the middle of the hour (reset to a timestamp) under a third id and compares with a fold of
 * those events computed without kstreams; finally compares the published compacted topics.
 */
async function main(): Promise<void> {
  await using kafka = await useKafka();
  const suffix = kafka.cluster === undefined ? `-${Date.now().toString(36)}` : '';
  const name = (base: string): string => `${base}${suffix}`;
  const client = new kafkajs.Kafka({ clientId: 'user-profiles-demo', brokers: [...kafka.brokers], logLevel: kafkajs.logLevel.NOTHING });
  const topicsOf = (version: string): UserProfilesAppTopics => ({ events: name('profile-events'), profiles: name(`user-profiles-${version}`), deadLetters: name('profile-events-dlq') });
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-user-profiles-'));
  const hourAgo = Date.now() - 3_600_000;
  const timestampOf = (index: number): number => hourAgo + Math.floor((index * 3_600_000) / events);
  log(`Kafka: ${kafka.brokers.join(',')}${kafka.cluster === undefined ? ' (KAFKA_BROKERS)' : ' (started locally)'}`);
  const blue = await startUserProfiles({ brokers: kafka.brokers, applicationId: name('user-profiles-blue'), topics: topicsOf('blue'), stateDir, queryPort: Number(process.env['PROFILES_HTTP_PORT'] ?? 0) });
  const versions = [blue];
  try {
    await produceEvents(client, { topic: topicsOf('blue').events, plan: { users, events }, timestampOf, extraRecords: POISON });
    log(`Wrote ${events} profile events of ${users} users (the first 40% in schema v1) and ${POISON.length} broken records.`);
    let started = Date.now();
    await blue.waitForProcessed(events, 10 * 60_000);
    const deadLetters = await countRecords(client, topicsOf('blue').deadLetters);
    log(`blue folded ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s; "${topicsOf('blue').deadLetters}" holds ${deadLetters} broken records.`);
    for (const path of [`/stores/profiles/keys/${userIdOf(7)}`, `/stores/profiles/keys/${userIdOf(0)}`, '/stores/profiles/keys/nobody', '/stores/profiles/all?limit=2']) {
      const response = await fetch(`${blue.queryUrl}${path}`);
      log(`GET ${blue.queryUrl}${path} -> ${response.status} ${await response.text()}`);
    }

    log('Full replay: version "green" (a new application id) folds the log from the earliest offset while blue keeps serving...');
    const green = await startUserProfiles({ brokers: kafka.brokers, applicationId: name('user-profiles-green'), topics: topicsOf('green'), stateDir });
    versions.push(green);
    started = Date.now();
    await green.waitForProcessed(events, 10 * 60_000);
    log(`green folded ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s. View of green vs blue (interactive queries): ${formatComparison(compareViews(queryView(green.streams), queryView(blue.streams)))}`);

    const middle = timestampOf(Math.floor(events / 2));
    const partialId = name(`user-profiles-since-${middle}`);
    const offsets = await prepareReplayFrom({ brokers: kafka.brokers, applicationId: partialId, eventsTopic: topicsOf('partial').events, fromTimestamp: middle });
    log(`Partial replay from ${new Date(middle).toISOString()}: reset "${partialId}" to offsets ${[...offsets].map(([partition, offset]) => `${partition}:${offset}`).join(' ')}`);
    const partial = await startUserProfiles({ brokers: kafka.brokers, applicationId: partialId, topics: topicsOf('partial'), stateDir });
    versions.push(partial);
    const reference = await foldEventLog(client, topicsOf('partial').events, offsets);
    await partial.waitForProcessed(reference.events, 10 * 60_000);
    log(`partial folded the ${reference.events} events since then. Its view vs a fold of those events without kstreams: ${formatComparison(compareViews(queryView(partial.streams), reference.view))}`);
  } finally {
    for (const version of versions) await version.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const [published, replayed] = await Promise.all([readPublishedView(client, topicsOf('blue').profiles), readPublishedView(client, topicsOf('green').profiles)]);
  log(`Published views (compacted topics "${topicsOf('green').profiles}" vs "${topicsOf('blue').profiles}"): ${formatComparison(compareViews(replayed, published))}`);
}

/** Records in `topic` (the sum of its partitions' end offsets). */
async function countRecords(kafka: kafkajs.Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  return ends.reduce((sum, { high }) => sum + Number(high), 0);
}

runMain('user-profiles', main);
