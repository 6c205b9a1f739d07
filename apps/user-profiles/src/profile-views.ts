import type { Kafka } from 'kafkajs';
import { readLatestPerKey } from 'kstreams-sample-kit';
import { profileEventSerde } from './profile-event-serde.js';
import { foldProfile, type UserProfile } from './user-profile.js';

/** A view: user id → profile, deleted users absent. */
export type ProfileView = Map<string, UserProfile>;

/** The view an app version published: its compacted output topic read to the end. */
export function readPublishedView(kafka: Kafka, topic: string): Promise<ProfileView> {
  return readLatestPerKey(kafka, topic, (value) => JSON.parse(value.toString()) as UserProfile);
}

/** A view folded straight from the log, and how many readable events went into it. */
export interface LogFold {
  readonly view: ProfileView;
  readonly events: number;
}

/**
 * The view computed straight from the event log, without kstreams: every readable event of
 * `topic` from `startOffsets` (per partition; default the beginning) to the current end,
 * upcast and folded in log order. What a replay must rebuild.
 */
export async function foldEventLog(kafka: Kafka, topic: string, startOffsets?: ReadonlyMap<number, number>): Promise<LogFold> {
  const profiles = new Map<string, UserProfile>();
  let events = 0;
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map<number, number>();
  for (const { partition, high } of ends) if (Number(high) > (startOffsets?.get(partition) ?? 0)) remaining.set(partition, Number(high));
  if (remaining.size > 0) {
    const consumer = kafka.consumer({ groupId: `log-fold-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const from = startOffsets?.get(batch.partition) ?? 0;
              for (const message of batch.messages) {
                if (Number(message.offset) < from || message.key === null) continue;
                const event = readEvent(topic, message.value);
                const userId = message.key.toString();
                if (event === undefined) continue;
                events++;
                profiles.set(userId, foldProfile(profiles.get(userId), event, Number(message.timestamp)));
              }
              if (batch.messages.length > 0 && Number(batch.lastOffset()) + 1 >= (remaining.get(batch.partition) ?? 0)) remaining.delete(batch.partition);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
  for (const [userId, profile] of profiles) if (profile.deleted) profiles.delete(userId);
  return { view: profiles, events };
}

function readEvent(topic: string, value: Buffer | null) {
  try {
    return profileEventSerde.deserialize(topic, value) ?? undefined;
  } catch {
    return undefined; // what the app sends to its dead-letter topic
  }
}

/** How two views compare. */
export interface ViewComparison {
  readonly equal: boolean;
  readonly leftSize: number;
  readonly rightSize: number;
  /** Users missing on one side or with different profiles. */
  readonly differences: number;
  /** The first differing user id, if any. */
  readonly firstDifference?: string;
}

/** Compares two views user by user (profiles as JSON). */
export function compareViews(left: ReadonlyMap<string, UserProfile>, right: ReadonlyMap<string, UserProfile>): ViewComparison {
  let differences = 0;
  let firstDifference: string | undefined;
  for (const userId of new Set([...left.keys(), ...right.keys()])) {
    if (JSON.stringify(left.get(userId)) === JSON.stringify(right.get(userId))) continue;
    differences++;
    firstDifference ??= userId;
  }
  return { equal: differences === 0, leftSize: left.size, rightSize: right.size, differences, ...(firstDifference === undefined ? {} : { firstDifference }) };
}

/** `equal (20000 = 20000 profiles)` or `UNEQUAL (…, 3 differ, e.g. user-7)`. */
export function formatComparison(comparison: ViewComparison): string {
  const sizes = `${comparison.leftSize} ${comparison.equal ? '=' : 'vs'} ${comparison.rightSize} profiles`;
  return comparison.equal ? `equal (${sizes})` : `UNEQUAL (${sizes}, ${comparison.differences} differ, e.g. ${comparison.firstDifference})`;
}
