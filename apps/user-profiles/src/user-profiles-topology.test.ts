import { Serdes, inMemoryBackend } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { generatedEvent } from './profile-event-generator.js';
import { upcast, type AnyProfileEvent } from './profile-events.js';
import { foldProfile, type UserProfile } from './user-profile.js';
import { PROFILE_STORE, profileSerde, userProfilesTopology } from './user-profiles-topology.js';

const topics = { events: 'profile-events', profiles: 'user-profiles' };

function run() {
  const driver = new TopologyTestDriver(userProfilesTopology(topics, { backend: inMemoryBackend() }));
  const events = driver.createInputTopic(topics.events, Serdes.string(), Serdes.json<AnyProfileEvent>());
  const profiles = driver.createOutputTopic(topics.profiles, Serdes.string(), profileSerde);
  const store = driver.getKeyValueStore<string, UserProfile>(PROFILE_STORE);
  return { driver, events, profiles, store };
}

describe('the user-profiles topology', () => {
  it('folds v1 and v2 events into the view store and publishes each profile, a deleted one as a tombstone', () => {
    const { driver, events, profiles, store } = run();
    events.pipeInput('u1', { schema: 1, userId: 'u1', seq: 1, type: 'UserRegistered', fullName: 'Grace Hopper', email: 'grace@navy.example' }, 1_000);
    events.pipeInput('u2', { schema: 1, userId: 'u2', seq: 1, type: 'UserRegistered', fullName: 'Alan Turing', email: 'alan@example.org' }, 1_100);
    events.pipeInput('u1', { schema: 2, userId: 'u1', seq: 2, type: 'CountryChanged', country: 'US' }, 2_000);
    events.pipeInput('u2', { schema: 2, userId: 'u2', seq: 2, type: 'UserDeleted' }, 2_100);
    driver.advanceWallClockTime(60_000);
    expect(store.get('u1')).toEqual({ userId: 'u1', name: { first: 'Grace', last: 'Hopper' }, email: 'grace@navy.example', country: 'US', version: 2, deleted: false, updatedAt: 2_000 });
    expect(store.get('u2')).toMatchObject({ deleted: true, version: 2 });
    const published = profiles.readKeyValuesToMap();
    expect(published.get('u1')).toEqual(store.get('u1'));
    expect(published.has('u2')).toBe(true);
    expect(published.get('u2')).toBeNull();
    driver.close();
  });

  it('publishes the same profiles as a plain fold of the generated stream (deleted users as tombstones)', () => {
    const { driver, events, profiles } = run();
    const plan = { users: 40, events: 600 };
    const expected = new Map<string, UserProfile>();
    for (let index = 0; index < plan.events; index++) {
      const event = generatedEvent(plan, index);
      events.pipeInput(event.userId, event, 10_000 + index);
      expected.set(event.userId, foldProfile(expected.get(event.userId), upcast(event), 10_000 + index));
    }
    driver.advanceWallClockTime(60_000);
    const published = profiles.readKeyValuesToMap();
    expect(published.size).toBe(40);
    for (const [userId, profile] of expected) expect(published.get(userId)).toEqual(profile.deleted ? null : profile);
    expect([...published].filter(([, profile]) => profile === null).map(([userId]) => userId)).toEqual(['user-0']);
    driver.close();
  });
});
