import { Serdes } from 'kstreams';
import { describe, expect, it } from 'vitest';
import { profileEventSerde } from './profile-event-serde.js';
import { generatedEvent } from './profile-event-generator.js';
import { splitFullName, upcast, type AnyProfileEvent } from './profile-events.js';
import { foldProfile, type UserProfile } from './user-profile.js';

const bytes = (value: unknown) => Serdes.json<unknown>().serialize('t', value);
const read = (value: unknown) => profileEventSerde.deserialize('profile-events', bytes(value));
const fold = (events: readonly AnyProfileEvent[]): UserProfile | undefined =>
  events.reduce<UserProfile | undefined>((profile, event, index) => foldProfile(profile, upcast(event), 1_000 + index), undefined);

describe('upcasting profile events', () => {
  it('reads a v1 registration as v2: the full name split at its first space, no country', () => {
    expect(read({ schema: 1, userId: 'u1', seq: 1, type: 'UserRegistered', fullName: 'Ada King Lovelace', email: 'ada@example.org' })).toEqual({
      schema: 2, userId: 'u1', seq: 1, type: 'UserRegistered', name: { first: 'Ada', last: 'King Lovelace' }, email: 'ada@example.org', country: null,
    });
    expect(splitFullName('Plato')).toEqual({ first: 'Plato', last: '' });
  });

  it('passes v2 events through unchanged', () => {
    const event = { schema: 2, userId: 'u1', seq: 2, type: 'CountryChanged', country: 'NL' };
    expect(read(event)).toEqual(event);
  });

  it('rejects what is not an event of either schema, naming the topic and the problem', () => {
    expect(() => read({ schema: 3, userId: 'u1', seq: 1, type: 'UserRegistered' })).toThrow(/topic "profile-events": unknown schema 3/);
    expect(() => read({ schema: 1, userId: 'u1', seq: 1, type: 'CountryChanged', country: 'NL' })).toThrow(/unknown type "CountryChanged" for schema 1/);
    expect(() => read({ schema: 2, userId: 'u1', seq: 0, type: 'UserDeleted' })).toThrow(/seq is not a positive integer/);
    expect(() => profileEventSerde.deserialize('profile-events', new TextEncoder().encode('{"schema":'))).toThrow(/not valid UTF-8 JSON/);
  });
});

describe('foldProfile', () => {
  it('folds v1 and v2 events of a user into one v2 profile', () => {
    const profile = fold([
      { schema: 1, userId: 'u1', seq: 1, type: 'UserRegistered', fullName: 'Ada Lovelace', email: 'ada@old.example' },
      { schema: 1, userId: 'u1', seq: 2, type: 'EmailChanged', email: 'ada@example.org' },
      { schema: 2, userId: 'u1', seq: 3, type: 'CountryChanged', country: 'GB' },
      { schema: 2, userId: 'u1', seq: 4, type: 'NameChanged', name: { first: 'Augusta Ada', last: 'King' } },
    ]);
    expect(profile).toEqual({ userId: 'u1', name: { first: 'Augusta Ada', last: 'King' }, email: 'ada@example.org', country: 'GB', version: 4, deleted: false, updatedAt: 1_003 });
  });

  it('ignores redelivered events (seq not above the version) and everything after a deletion', () => {
    const registered: AnyProfileEvent = { schema: 2, userId: 'u1', seq: 1, type: 'UserRegistered', name: { first: 'A', last: 'B' }, email: 'a@b', country: null };
    const renamed: AnyProfileEvent = { schema: 2, userId: 'u1', seq: 2, type: 'NameChanged', name: { first: 'C', last: 'D' } };
    expect(fold([registered, renamed, registered, renamed])).toEqual(fold([registered, renamed]));
    const deleted = fold([registered, { schema: 2, userId: 'u1', seq: 2, type: 'UserDeleted' }, { schema: 2, userId: 'u1', seq: 3, type: 'EmailChanged', email: 'x@y' }]);
    expect(deleted).toMatchObject({ deleted: true, version: 2, email: 'a@b' });
  });

  it('starts from an empty profile when the first event seen is not a registration (a replay from a timestamp)', () => {
    expect(fold([{ schema: 2, userId: 'u9', seq: 5, type: 'EmailChanged', email: 'late@example.org' }])).toEqual({
      userId: 'u9', name: null, email: 'late@example.org', country: null, version: 5, deleted: false, updatedAt: 1_000,
    });
  });
});

describe('the event generator', () => {
  it('writes v1 first, then v2, every event valid, each user numbered from seq 1', () => {
    const plan = { users: 100, events: 1_000 };
    const events = Array.from({ length: plan.events }, (_, index) => generatedEvent(plan, index));
    expect(events.slice(0, 400).every((event) => event.schema === 1)).toBe(true);
    expect(events.slice(400).every((event) => event.schema === 2)).toBe(true);
    for (const event of events) expect(() => read(event)).not.toThrow();
    expect(events.filter((event) => event.userId === 'user-7').map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.filter((event) => event.type === 'UserDeleted').map((event) => event.userId)).toEqual(['user-0', 'user-50']);
  });
});
