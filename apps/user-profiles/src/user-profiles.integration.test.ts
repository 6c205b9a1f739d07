import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBrokers, uniqueTopicName } from '@kstreams/kafka-broker/testing';
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedEvent } from './profile-event-generator.js';
import { upcast } from './profile-events.js';
import { produceEvents } from './produce-events.js';
import { compareViews, foldEventLog, readPublishedView } from './profile-views.js';
import { prepareReplayFrom, queryView } from './replay.js';
import { foldProfile, type UserProfile } from './user-profile.js';
import { startUserProfiles, type RunningUserProfiles } from './user-profiles-app.js';

const stateDir = mkdtempSync(join(tmpdir(), 'user-profiles-it-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** A user known only from legacy (v1) events, two broken records, then the generated stream. */
const EXTRA = [
  { key: 'legacy-user', value: JSON.stringify({ schema: 1, userId: 'legacy-user', seq: 1, type: 'UserRegistered', fullName: 'Ada King Lovelace', email: 'ada@example.org' }) },
  { key: 'legacy-user', value: JSON.stringify({ schema: 1, userId: 'legacy-user', seq: 2, type: 'NameChanged', fullName: 'Augusta Ada King' }) },
  { key: 'legacy-user', value: JSON.stringify({ schema: 1, userId: 'legacy-user', seq: 1, type: 'UserRegistered', fullName: 'Redelivered Twice', email: 'old@example.org' }) },
  { key: 'user-1', value: '{"schema":1,"userId":"user-1",' },
  { key: 'user-2', value: JSON.stringify({ schema: 3, userId: 'user-2', seq: 1, type: 'UserRegistered' }) },
];
const READABLE_EXTRA = 3;

describe('the user-profiles app (Kappa) on a real broker', () => {
  it('folds v1 and v2 events into the view, serves it over HTTP (forwarding to a second instance), and rebuilds the same view by full and partial replay', async () => {
    const topics = (version: string) => ({ events: `${run}-events`, profiles: `${run}-profiles-${version}`, deadLetters: `${run}-dlq` });
    const run = uniqueTopicName('profiles');
    const plan = { users: 200, events: 3_000 };
    const base = Date.now() - 600_000;
    const timestampOf = (index: number): number => base + index * 100;
    const kafka = new kafkajs.Kafka({ brokers: testBrokers(), logLevel: kafkajs.logLevel.NOTHING });
    const versions: RunningUserProfiles[] = [];
    try {
      const blue = await startUserProfiles({ brokers: testBrokers(), applicationId: `${run}-blue`, topics: topics('blue'), stateDir, partitions: 2, queryPort: 0 });
      versions.push(blue);
      await produceEvents(kafka, { topic: topics('blue').events, plan, timestampOf, extraRecords: EXTRA });
      await blue.waitForProcessed(plan.events + READABLE_EXTRA, 90_000);

      // The fold, upcast included: the live view equals a fold of the log computed without kstreams.
      const logFold = await foldEventLog(kafka, topics('blue').events);
      expect(logFold.events).toBe(plan.events + READABLE_EXTRA);
      expect(compareViews(queryView(blue.streams), logFold.view)).toMatchObject({ equal: true, leftSize: 197 });
      // ...and the log holds each user's events in the order they were generated.
      const generated = new Map<string, UserProfile>();
      for (let index = 0; index < plan.events; index++) {
        const event = generatedEvent(plan, index);
        generated.set(event.userId, foldProfile(generated.get(event.userId), upcast(event), timestampOf(index)));
      }
      for (const [userId, profile] of generated) if (!profile.deleted) expect(logFold.view.get(userId), userId).toEqual(profile);
      const get = async (userId: string) => {
        const response = await fetch(`${blue.queryUrl}/stores/profiles/keys/${userId}`);
        return { status: response.status, body: (await response.json()) as { [field: string]: unknown } };
      };
      expect(await get('legacy-user')).toEqual({
        status: 200,
        body: { store: 'profiles', key: 'legacy-user', value: { userId: 'legacy-user', name: { first: 'Augusta', last: 'Ada King' }, email: 'ada@example.org', country: null, version: 2, deleted: false, updatedAt: timestampOf(0) } },
      });
      expect(await get('user-3')).toMatchObject({ status: 200, body: { value: { userId: 'user-3', version: 15, deleted: false } } });
      expect(await get('user-50')).toMatchObject({ status: 200, body: { value: { deleted: true } } });
      expect((await get('nobody')).status).toBe(404);
      // Dead-lettered records are sent asynchronously, after the fold counted them: wait for both.
      const admin = kafka.admin();
      await admin.connect();
      const deadLetterCount = async () => (await admin.fetchTopicOffsets(topics('blue').deadLetters)).reduce((sum, { high }) => sum + Number(high), 0);
      try {
        const deadline = Date.now() + 30_000;
        while ((await deadLetterCount()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await deadLetterCount()).toBe(2);
      } finally {
        await admin.disconnect();
      }

      // Full replay under a new application id, while blue keeps running.
      const green = await startUserProfiles({ brokers: testBrokers(), applicationId: `${run}-green`, topics: topics('green'), stateDir, partitions: 2 });
      versions.push(green);
      await green.waitForProcessed(plan.events + READABLE_EXTRA, 90_000);
      expect(compareViews(queryView(green.streams), queryView(blue.streams))).toMatchObject({ equal: true, leftSize: 197 });

      // Partial replay from the timestamp of event 2000 (reset to a datetime).
      const offsets = await prepareReplayFrom({ brokers: testBrokers(), applicationId: `${run}-partial`, eventsTopic: topics('partial').events, fromTimestamp: timestampOf(2_000) });
      const sinceThen = await foldEventLog(kafka, topics('partial').events, offsets);
      expect(sinceThen.events).toBe(1_000);
      const partial = await startUserProfiles({ brokers: testBrokers(), applicationId: `${run}-partial`, topics: topics('partial'), stateDir, partitions: 2 });
      versions.push(partial);
      await partial.waitForProcessed(sinceThen.events, 90_000);
      expect(compareViews(queryView(partial.streams), sinceThen.view)).toMatchObject({ equal: true });
      expect(queryView(partial.streams).get('user-3')).toMatchObject({ version: 15, name: expect.anything() });

      // A second instance of blue takes over one partition; blue's server forwards to it.
      const blueTwin = await startUserProfiles({ brokers: testBrokers(), applicationId: `${run}-blue`, topics: topics('blue'), stateDir: join(stateDir, 'twin'), partitions: 2, queryPort: 0 });
      versions.push(blueTwin);
      const owners = () => new Set(blue.streams.allMetadataForStore('profiles').filter((metadata) => metadata.stateStoreNames.includes('profiles')).map((metadata) => metadata.hostInfo.port));
      for (const deadline = Date.now() + 90_000; owners().size < 2 || blue.streams.state() !== 'RUNNING' || blueTwin.streams.state() !== 'RUNNING'; ) {
        if (Date.now() > deadline) throw new Error(`The two blue instances did not settle within 90 s: store owners ${[...owners()].join(', ')}, states ${blue.streams.state()} / ${blueTwin.streams.state()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const forwardedTo = new Set<string>();
      for (const userId of [...logFold.view.keys()]) {
        let response = await fetch(`${blue.queryUrl}/stores/profiles/keys/${userId}`);
        // 503 while the twin restores its partition from the changelog.
        while (response.status === 503) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          response = await fetch(`${blue.queryUrl}/stores/profiles/keys/${userId}`);
        }
        expect(response.status, userId).toBe(200);
        expect(((await response.json()) as { value: unknown }).value).toEqual(logFold.view.get(userId));
        const target = response.headers.get('x-kstreams-forwarded-to');
        if (target !== null) forwardedTo.add(target);
      }
      expect([...forwardedTo]).toEqual([blueTwin.queryUrl!.replace('http://', '')]);
    } finally {
      for (const version of versions) await version.close();
    }
    // Closed versions flushed their caches: the published compacted topics hold the same view.
    const [published, replayed] = await Promise.all([readPublishedView(kafka, topics('blue').profiles), readPublishedView(kafka, topics('green').profiles)]);
    expect(compareViews(replayed, published)).toMatchObject({ equal: true, leftSize: 197 });
  }, 300_000);
});
