import { describe, expect, it } from 'vitest';
import { emptyAssignmentInfo } from './assignment-info.js';
import { AssignorErrorCode, LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
import { decodeSubscriptionInfo, encodeSubscriptionInfo, type DecodedSubscriptionInfo } from './subscription-info.js';
import { negotiateVersions, nextSubscriptionVersion } from './version-probing.js';

const processId = '00000000-0000-0000-0000-000000000001';

function subscription(version: number): DecodedSubscriptionInfo {
  return decodeSubscriptionInfo(encodeSubscriptionInfo({ processId, userEndpoint: undefined, taskOffsetSums: new Map(), ownedActiveTasks: [], ownedStandbyTasks: [] }, { version }));
}

describe('negotiateVersions', () => {
  it('uses the latest version when every member sent it', () => {
    expect(negotiateVersions([subscription(2), subscription(2)])).toEqual({ usedVersion: 2, commonlySupportedVersion: 2, versionProbing: false });
  });

  it('answers in the lowest version sent during a rolling upgrade (upgrade.from = 1)', () => {
    expect(negotiateVersions([subscription(1), subscription(2)])).toEqual({ usedVersion: 1, commonlySupportedVersion: 2, versionProbing: false });
  });

  it('probes when a member sent a version newer than this leader knows', () => {
    const future: DecodedSubscriptionInfo = { supported: false, version: LATEST_SUPPORTED_VERSION + 1, latestSupportedVersion: LATEST_SUPPORTED_VERSION + 1 };
    expect(negotiateVersions([subscription(2), future])).toEqual({ usedVersion: LATEST_SUPPORTED_VERSION, commonlySupportedVersion: LATEST_SUPPORTED_VERSION, versionProbing: true });
  });

  it('limits the commonly supported version by the oldest member', () => {
    const old: DecodedSubscriptionInfo = { ...(subscription(1) as Extract<DecodedSubscriptionInfo, { supported: true }>), latestSupportedVersion: 1 };
    expect(negotiateVersions([old, subscription(2)]).commonlySupportedVersion).toBe(1);
  });
});

describe('nextSubscriptionVersion', () => {
  it('downgrades to the leader version and rejoins after version probing', () => {
    expect(nextSubscriptionVersion(3, emptyAssignmentInfo(2, 2, AssignorErrorCode.VERSION_PROBING))).toEqual({ version: 2, rejoin: true });
    expect(nextSubscriptionVersion(2, emptyAssignmentInfo(1, 1))).toEqual({ version: 1, rejoin: true });
  });

  it('upgrades and rejoins once every member supports a newer version', () => {
    expect(nextSubscriptionVersion(1, emptyAssignmentInfo(1, 2))).toEqual({ version: 2, rejoin: true });
  });

  it('keeps the version when nothing changed', () => {
    expect(nextSubscriptionVersion(2, emptyAssignmentInfo(2, 2))).toEqual({ version: 2, rejoin: false });
  });
});
