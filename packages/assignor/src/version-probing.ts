import type { AssignmentInfo } from './assignment-info.js';
import { AssignorErrorCode, LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
import type { DecodedSubscriptionInfo } from './subscription-info.js';

/** What the leader decided about versions for one rebalance. */
export interface VersionNegotiation {
  /** The version to write every member's assignment info in: the lowest version any member sent. */
  readonly usedVersion: number;
  /** The lowest "latest supported version" of all members (members may upgrade to it). */
  readonly commonlySupportedVersion: number;
  /**
   * True when a member sent a version this leader cannot read: every member then gets back the
   * tasks it owned (nothing moves) with error code `VERSION_PROBING`, and rejoins in
   * `usedVersion` (Java's version probing).
   */
  readonly versionProbing: boolean;
}

/**
 * The leader's version negotiation over all members' subscriptions, as in Java's
 * `StreamsPartitionAssignor`: assignments go out in the lowest version any member used, so that
 * every member can read them during a rolling upgrade.
 */
export function negotiateVersions(subscriptions: readonly DecodedSubscriptionInfo[]): VersionNegotiation {
  let usedVersion = LATEST_SUPPORTED_VERSION;
  let commonlySupportedVersion = LATEST_SUPPORTED_VERSION;
  let versionProbing = false;
  for (const subscription of subscriptions) {
    if (!subscription.supported) versionProbing = true;
    else usedVersion = Math.min(usedVersion, subscription.version);
    // A member of version 1 or 2 that reports no latest version (-1 in Java) supports its own only.
    const latest = subscription.latestSupportedVersion > 0 ? subscription.latestSupportedVersion : subscription.version;
    commonlySupportedVersion = Math.min(commonlySupportedVersion, latest);
  }
  return { usedVersion, commonlySupportedVersion: Math.max(commonlySupportedVersion, usedVersion), versionProbing };
}

/** What a member does after reading its assignment: the version of its next subscription. */
export interface SubscriptionVersionDecision {
  /** The version to write the member's next subscription in. */
  readonly version: number;
  /** True when the member must rejoin now (version probing, or every member can upgrade). */
  readonly rejoin: boolean;
}

/**
 * A member's side of version probing and upgrades. The member sent its subscription in
 * `sentVersion` and received `assignment`:
 * - the leader wrote an older version than sent, or answered `VERSION_PROBING`: downgrade to the
 *   leader's version and rejoin at once;
 * - every member now supports a newer version than sent: upgrade to it and rejoin (the second
 *   bounce of a rolling upgrade is then not needed);
 * - otherwise keep the version.
 */
export function nextSubscriptionVersion(sentVersion: number, assignment: AssignmentInfo): SubscriptionVersionDecision {
  if (assignment.errorCode === AssignorErrorCode.VERSION_PROBING || assignment.version < sentVersion) {
    return { version: Math.min(assignment.version, LATEST_SUPPORTED_VERSION), rejoin: true };
  }
  const upgradeTo = Math.min(assignment.commonlySupportedVersion, LATEST_SUPPORTED_VERSION);
  if (upgradeTo > sentVersion) return { version: upgradeTo, rejoin: true };
  return { version: sentVersion, rejoin: false };
}
