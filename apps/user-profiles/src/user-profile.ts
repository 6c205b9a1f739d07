import type { PersonName, ProfileEvent } from './profile-events.js';

/**
 * The view of one user, folded from their events. Fields an event has not set yet are null (a
 * replay that starts after a user's registration sees only later events).
 */
export interface UserProfile {
  readonly userId: string;
  readonly name: PersonName | null;
  readonly email: string | null;
  readonly country: string | null;
  /** The `seq` of the last event folded in: an event with a seq at or below it was seen already. */
  readonly version: number;
  readonly deleted: boolean;
  /** Timestamp (ms) of the last event folded in. */
  readonly updatedAt: number;
}

/** The profile before any event. */
export function emptyProfile(userId: string): UserProfile {
  return { userId, name: null, email: null, country: null, version: 0, deleted: false, updatedAt: 0 };
}

/**
 * Folds one (v2) event into a profile. Idempotent: an event whose `seq` is not above the
 * profile's version is a redelivery (at-least-once) and changes nothing, so does anything after
 * `UserDeleted`. Returns the same object when nothing changed.
 */
export function foldProfile(profile: UserProfile | undefined, event: ProfileEvent, timestamp: number): UserProfile {
  const current = profile ?? emptyProfile(event.userId);
  if (event.seq <= current.version || current.deleted) return current;
  const { userId, name, email, country } = current;
  const version = event.seq;
  switch (event.type) {
    case 'UserRegistered':
      return { userId, name: event.name, email: event.email, country: event.country, version, deleted: false, updatedAt: timestamp };
    case 'NameChanged':
      return { userId, name: event.name, email, country, version, deleted: false, updatedAt: timestamp };
    case 'EmailChanged':
      return { userId, name, email: event.email, country, version, deleted: false, updatedAt: timestamp };
    case 'CountryChanged':
      return { userId, name, email, country: event.country, version, deleted: false, updatedAt: timestamp };
    case 'UserDeleted':
      return { userId, name, email, country, version, deleted: true, updatedAt: timestamp };
  }
}
