import type { AnyProfileEvent } from './profile-events.js';

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Leslie', 'Margaret', 'Tony'] as const;
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Lamport', 'Hamilton', 'Hoare'] as const;
const COUNTRIES = ['NL', 'DE', 'FR', 'GB', 'US', 'JP', 'BR', 'IN'] as const;

const pick = <T>(values: readonly T[], index: number): T => values[index % values.length] as T;

/** How a run's events are laid out. */
export interface EventPlan {
  /** Distinct users; event `index` belongs to user `index % users`. */
  readonly users: number;
  /** Total events. */
  readonly events: number;
  /** The share of the stream (from its start) written with the legacy schema v1. Default 0.4. */
  readonly v1Share?: number;
}

/** `user-<n>`: the id (and record key) of user number `n`. */
export const userIdOf = (user: number): string => `user-${user}`;

/**
 * Event number `index` of the plan: user `index % users`, its `seq` is how many events that user
 * had before plus one. The first event of a user registers them; later ones change their name,
 * email or country; every 50th user is deleted at their second v2 event (events after that
 * are ignored by the fold). Events in the first `v1Share` of the stream use schema v1 (which has no
 * country changes and no deletions: those become email changes).
 */
export function generatedEvent(plan: EventPlan, index: number): AnyProfileEvent {
  const user = index % plan.users;
  const seq = Math.floor(index / plan.users) + 1;
  const userId = userIdOf(user);
  const v1 = index < plan.events * (plan.v1Share ?? 0.4);
  const first = pick(FIRST, user + seq);
  const last = pick(LAST, user * 7 + seq);
  const email = `${first.toLowerCase()}.${user}.${seq}@example.org`;
  if (seq === 1) {
    return v1
      ? { schema: 1, userId, seq, type: 'UserRegistered', fullName: `${first} ${last}`, email }
      : { schema: 2, userId, seq, type: 'UserRegistered', name: { first, last }, email, country: pick(COUNTRIES, user) };
  }
  const kind = (user + seq) % 3;
  if (!v1 && seq === deletionSeq(plan) && user % 50 === 0) return { schema: 2, userId, seq, type: 'UserDeleted' };
  if (kind === 0) return v1 ? { schema: 1, userId, seq, type: 'NameChanged', fullName: `${first} ${last}` } : { schema: 2, userId, seq, type: 'NameChanged', name: { first, last } };
  if (kind === 1 || v1) return v1 ? { schema: 1, userId, seq, type: 'EmailChanged', email } : { schema: 2, userId, seq, type: 'EmailChanged', email };
  return { schema: 2, userId, seq, type: 'CountryChanged', country: pick(COUNTRIES, user + seq) };
}

/** The seq at which every 50th user is deleted: their second event in the v2 part of the stream. */
function deletionSeq(plan: EventPlan): number {
  return Math.ceil((plan.events * (plan.v1Share ?? 0.4)) / plan.users) + 2;
}
