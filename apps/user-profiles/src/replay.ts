import { resetApplication, type PlannedOffset } from '@kstreams/reset';
import { QueryableStoreTypes, type KafkaStreams } from 'kstreams';
import type { ProfileView } from './profile-views.js';
import type { UserProfile } from './user-profile.js';
import { PROFILE_STORE } from './user-profiles-topology.js';

/**
 * Prepares a partial replay for a new version of the app: `resetApplication` (the
 * `kstreams-reset --to-datetime` tool) commits, for the consumer group of `applicationId`, the
 * first offset of each partition of `eventsTopic` whose record timestamp is at or after
 * `fromTimestamp`, so the version folds only the events from then on. Returns those offsets.
 * (A full replay needs nothing: a new application id starts at the earliest offsets.)
 */
export async function prepareReplayFrom(options: { brokers: readonly string[]; applicationId: string; eventsTopic: string; fromTimestamp: number }): Promise<Map<number, number>> {
  const report = await resetApplication({
    applicationId: options.applicationId,
    bootstrapServers: options.brokers,
    inputTopics: [options.eventsTopic],
    resetTo: { type: 'to-datetime', timestamp: options.fromTimestamp },
  });
  return new Map(report.inputOffsets.map((planned: PlannedOffset) => [planned.partition, planned.offset]));
}

/** The view a running version holds, read through interactive queries (deleted users left out). */
export function queryView(streams: KafkaStreams): ProfileView {
  const view: ProfileView = new Map();
  using all = streams.store({ storeName: PROFILE_STORE, type: QueryableStoreTypes.keyValueStore<string, UserProfile>() }).all();
  for (const { key, value } of all) if (!value.deleted) view.set(key, value);
  return view;
}
