import { TaskAssignmentError } from './assignment-error.js';
import { parseHostInfo } from './host-info.js';
import { ByteReader } from './internal/byte-reader.js';
import { ByteWriter } from './internal/byte-writer.js';
import { checkVersion, readTaskId, writeTaskId } from './internal/protocol-fields.js';
import { bytesToUuid, uuidToBytes } from './internal/uuid-bytes.js';
import { AssignorErrorCode, LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
import { sortTaskIds } from './task-id.js';
import { LATEST_OFFSET, UNKNOWN_OFFSET_SUM } from './task-lags.js';

/**
 * What a member tells the group leader when it joins (the user data of its subscription), as in
 * Java's `SubscriptionInfo`: which instance it runs in, which state that instance holds on disk
 * and how far it got, where it answers interactive queries, and what this member owned before.
 */
export interface SubscriptionInfo {
  readonly supported: true;
  /** The version this info is written in. */
  readonly version: number;
  /** The newest version the sender can read and write (for version probing). */
  readonly latestSupportedVersion: number;
  /** The instance (process) the member runs in: a UUID shared by all its threads. */
  readonly processId: string;
  /** `application.server` (`host:port`) of the instance, when interactive queries are served. */
  readonly userEndpoint: string | undefined;
  /**
   * Per stateful task whose state the instance holds (active, standby, or left behind in the state
   * directory): the sum of its changelog offsets, or {@link LATEST_OFFSET} for a running active.
   */
  readonly taskOffsetSums: ReadonlyMap<string, number>;
  /** Active tasks this member (thread) owned before the rebalance. */
  readonly ownedActiveTasks: readonly string[];
  /** Standby tasks this member (thread) owned before the rebalance. */
  readonly ownedStandbyTasks: readonly string[];
  /** Client tags of the instance (`client.tag.*`), for rack-aware standbys (version 2+). */
  readonly clientTags: Readonly<Record<string, string>>;
  /** An {@link AssignorErrorCode} the member reports (e.g. a requested shutdown). */
  readonly errorCode: number;
}

/** A subscription newer than this package can read: only its versions are known (version probing). */
export interface UnsupportedSubscriptionInfo {
  readonly supported: false;
  readonly version: number;
  readonly latestSupportedVersion: number;
}

/** The result of {@link decodeSubscriptionInfo}. */
export type DecodedSubscriptionInfo = SubscriptionInfo | UnsupportedSubscriptionInfo;

/** The fields of a subscription a member fills in; versions are set by {@link encodeSubscriptionInfo}. */
export type SubscriptionInfoFields = Omit<SubscriptionInfo, 'supported' | 'version' | 'latestSupportedVersion' | 'clientTags' | 'errorCode'> & {
  readonly clientTags?: Readonly<Record<string, string>>;
  readonly errorCode?: number;
};

/**
 * Writes a member's subscription info. `version` (default {@link LATEST_SUPPORTED_VERSION}) is
 * lower during a rolling upgrade (Java's `upgrade.from`) or after version probing, so that an
 * older leader can read it; fields the version lacks (client tags before 2) are left out.
 *
 * @throws TaskAssignmentError for an unknown version, a process id that is not a UUID, a bad
 * `application.server` or task id.
 */
export function encodeSubscriptionInfo(fields: SubscriptionInfoFields, options: { version?: number } = {}): Uint8Array {
  const version = options.version ?? LATEST_SUPPORTED_VERSION;
  checkVersion(version, 'encode subscription info');
  if (fields.userEndpoint !== undefined) parseHostInfo(fields.userEndpoint);
  const writer = new ByteWriter().int32(version).int32(LATEST_SUPPORTED_VERSION).bytes(uuidToBytes(fields.processId));
  writer.string(fields.userEndpoint ?? '');
  const offsetSums = sortTaskIds(fields.taskOffsetSums.keys()).map((taskId) => [taskId, fields.taskOffsetSums.get(taskId) as number] as const);
  writer.array(offsetSums, ([taskId, offsetSum]) => writeTaskId(writer, taskId).int64(checkOffsetSum(taskId, offsetSum)));
  writer.array(sortTaskIds(fields.ownedActiveTasks), (taskId) => writeTaskId(writer, taskId));
  writer.array(sortTaskIds(fields.ownedStandbyTasks), (taskId) => writeTaskId(writer, taskId));
  writer.int32(fields.errorCode ?? AssignorErrorCode.NONE);
  if (version >= 2) {
    const tags = Object.entries(fields.clientTags ?? {}).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    writer.array(tags, ([key, value]) => writer.string(key).string(value));
  }
  return writer.toBytes();
}

/**
 * Reads a subscription info of any version. A version newer than {@link LATEST_SUPPORTED_VERSION}
 * yields only its version numbers (`supported: false`): the leader then answers with version
 * probing, as in Java.
 *
 * @throws TaskAssignmentError when the bytes are not a subscription info.
 */
export function decodeSubscriptionInfo(data: Uint8Array): DecodedSubscriptionInfo {
  const reader = new ByteReader(data, 'subscription info');
  const version = reader.int32();
  const latestSupportedVersion = reader.int32();
  if (version > LATEST_SUPPORTED_VERSION) return { supported: false, version, latestSupportedVersion };
  checkVersion(version, 'decode subscription info');
  const processId = bytesToUuid(new Uint8Array([...Array(16)].map(() => reader.int8() & 0xff)));
  const endpoint = reader.string();
  const taskOffsetSums = new Map(reader.array(() => [readTaskId(reader), reader.int64()] as const));
  const ownedActiveTasks = reader.array(() => readTaskId(reader));
  const ownedStandbyTasks = reader.array(() => readTaskId(reader));
  const errorCode = reader.int32();
  const clientTags = version >= 2 ? Object.fromEntries(reader.array(() => [reader.string(), reader.string()] as const)) : {};
  reader.end();
  const userEndpoint = endpoint === '' ? undefined : endpoint;
  return { supported: true, version, latestSupportedVersion, processId, userEndpoint, taskOffsetSums, ownedActiveTasks, ownedStandbyTasks, clientTags, errorCode };
}

function checkOffsetSum(taskId: string, offsetSum: number): number {
  if (!Number.isSafeInteger(offsetSum) || (offsetSum < 0 && offsetSum !== LATEST_OFFSET && offsetSum !== UNKNOWN_OFFSET_SUM)) {
    throw new TaskAssignmentError(`Offset sum ${offsetSum} of task ${taskId} is not valid: use a non-negative integer, LATEST_OFFSET or UNKNOWN_OFFSET_SUM.`, { taskId });
  }
  return offsetSum;
}
