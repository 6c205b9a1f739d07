import { Record, Serdes, Stores, Topology, lmdbBackend, type MeteredKeyValueStore, type Processor, type ProcessorContext, type StoreBackend } from 'kstreams';
import { profileEventSerde } from './profile-event-serde.js';
import type { ProfileEvent } from './profile-events.js';
import { foldProfile, type UserProfile } from './user-profile.js';

/** The topics of the sample. */
export interface UserProfilesTopics {
  /** Input: profile events of schema v1 and v2, keyed by user id. */
  readonly events: string;
  /** Output (compacted): the latest profile per user id; a deleted user is a tombstone. */
  readonly profiles: string;
}

/** The view store: user id → profile (LMDB, cached, changelogged). Queried through interactive queries. */
export const PROFILE_STORE = 'profiles';

/** Options of {@link userProfilesTopology}. */
export interface UserProfilesTopologyOptions {
  /** Default: LMDB. */
  readonly backend?: StoreBackend;
  /** Called once per event that reaches the fold (the app's processed count). */
  readonly onEvent?: () => void;
}

/** How many written profiles a processor keeps decoded (about 40 MiB at most). */
const WRITTEN_PROFILES_KEPT = 100_000;

/** JSON serde of the view store and the output topic. */
export const profileSerde = Serdes.json<UserProfile>();

/**
 * Folds each event into the user's profile in the view store. The store's cache merges the
 * updates of a user between commits; what it writes down is forwarded to the output topic
 * (Kafka Streams' KTable behaviour), a deleted profile as a tombstone.
 */
class ProfileFolder implements Processor<string | null, ProfileEvent | null, string, UserProfile | null> {
  #profiles!: MeteredKeyValueStore<string, UserProfile | null>;
  /**
   * The profiles this processor last wrote, as objects: the store stays the truth (cache,
   * changelog, queries), this only saves decoding a profile on every event of the same user.
   * Only this processor writes its task's store, so an entry is never stale; it starts empty
   * at every init.
   */
  readonly #written = new Map<string, UserProfile>();
  constructor(private readonly onEvent: () => void) {}

  init(context: ProcessorContext<string, UserProfile | null>): void {
    this.#written.clear();
    this.#profiles = context.getStateStore<MeteredKeyValueStore<string, UserProfile | null>>(PROFILE_STORE);
    this.#profiles.setFlushListener((userId, profile, _old, timestamp) => {
      if (profile === undefined || profile === null) return;
      context.forward(new Record(userId, profile.deleted ? null : profile, timestamp));
    });
  }

  process(record: Record<string | null, ProfileEvent | null>): void {
    this.onEvent();
    const event = record.value;
    if (event === null) return;
    // The record key places the profile (and interactive queries look for it by key).
    const userId = record.key ?? event.userId;
    const previous = this.#written.get(userId) ?? this.#profiles.get(userId) ?? undefined;
    const next = foldProfile(previous, event, record.timestamp);
    if (next === previous) return;
    this.#profiles.put(userId, next);
    if (this.#written.size >= WRITTEN_PROFILES_KEPT) this.#written.clear();
    this.#written.set(userId, next);
  }

  close(): void {
    this.#written.clear();
  }
}

/**
 * The user-profiles topology (the Kappa architecture's view): `events` (keyed by user id, v1
 * and v2 upcast on read) → fold into the `profiles` store → the profile topic.
 */
export function userProfilesTopology(topics: UserProfilesTopics, options: UserProfilesTopologyOptions = {}) {
  const onEvent = options.onEvent ?? (() => {});
  return new Topology()
    .addSource('profile-events', { topics: [topics.events], keySerde: Serdes.string(), valueSerde: profileEventSerde })
    .addProcessor('fold-profile', () => new ProfileFolder(onEvent), 'profile-events')
    .addStateStore(
      Stores.keyValueStoreBuilder({ name: PROFILE_STORE, backend: options.backend ?? lmdbBackend(), keySerde: Serdes.string(), valueSerde: profileSerde }).withCachingEnabled(),
      'fold-profile',
    )
    .addSink('profiles-out', topics.profiles, { keySerde: Serdes.string(), valueSerde: profileSerde }, 'fold-profile');
}
