import { describe, expect, it } from 'vitest';
import { TaskAssignmentError } from './assignment-error.js';
import { LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
import { decodeSubscriptionInfo, encodeSubscriptionInfo, type SubscriptionInfoFields } from './subscription-info.js';
import { LATEST_OFFSET, UNKNOWN_OFFSET_SUM } from './task-lags.js';

const processId = '0123abcd-4567-89ef-0123-456789abcdef';

const fields: SubscriptionInfoFields = {
  processId,
  userEndpoint: 'localhost:8080',
  taskOffsetSums: new Map([
    ['1_0', 42],
    ['0_2', LATEST_OFFSET],
    ['0_10', UNKNOWN_OFFSET_SUM],
  ]),
  ownedActiveTasks: ['0_2'],
  ownedStandbyTasks: ['1_0'],
  clientTags: { zone: 'eu-1a', cluster: 'k8s-1' },
  errorCode: 0,
};

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('encodeSubscriptionInfo', () => {
  it('writes version 2 big-endian: versions, uuid, endpoint, offset sums, owned tasks, error code, tags', () => {
    const bytes = encodeSubscriptionInfo({ ...fields, taskOffsetSums: new Map([['0_1', LATEST_OFFSET]]), ownedStandbyTasks: [], clientTags: { z: 'a' } });
    expect(hex(bytes)).toBe(
      [
        '00000002', // version
        '00000002', // latest supported version
        '0123abcd456789ef0123456789abcdef', // process id
        '0000000e', Buffer.from('localhost:8080').toString('hex'), // endpoint
        '00000001', '00000000', '00000001', 'fffffffffffffffe', // one offset sum: 0_1 → -2
        '00000001', '00000000', '00000002', // owned active: 0_2
        '00000000', // owned standby: none
        '00000000', // error code
        '00000001', '00000001', '7a', '00000001', '61', // tags: z=a
      ].join(''),
    );
  });

  it('round-trips every field, with task ids and tags in sorted order', () => {
    const decoded = decodeSubscriptionInfo(encodeSubscriptionInfo(fields));
    expect(decoded).toEqual({ ...fields, supported: true, version: LATEST_SUPPORTED_VERSION, latestSupportedVersion: LATEST_SUPPORTED_VERSION });
    if (!decoded.supported) throw new Error('expected a supported subscription');
    expect([...decoded.taskOffsetSums.keys()]).toEqual(['0_2', '0_10', '1_0']);
  });

  it('writes version 1 without client tags, and reads it back with none (upgrade.from)', () => {
    const version1 = encodeSubscriptionInfo(fields, { version: 1 });
    expect(version1.length).toBe(encodeSubscriptionInfo({ ...fields, clientTags: {} }).length - 4);
    const decoded = decodeSubscriptionInfo(version1);
    expect(decoded).toMatchObject({ supported: true, version: 1, latestSupportedVersion: LATEST_SUPPORTED_VERSION, clientTags: {}, processId });
  });

  it('writes an absent endpoint as empty and reads it back as undefined', () => {
    const decoded = decodeSubscriptionInfo(encodeSubscriptionInfo({ ...fields, userEndpoint: undefined }));
    expect(decoded).toMatchObject({ userEndpoint: undefined });
  });

  it('rejects bad process ids, endpoints, offset sums and versions with the culprit named', () => {
    expect(() => encodeSubscriptionInfo({ ...fields, processId: 'p-1' })).toThrow(/Process id "p-1" is not a UUID/);
    expect(() => encodeSubscriptionInfo({ ...fields, userEndpoint: 'localhost' })).toThrow(/application.server "localhost"/);
    expect(() => encodeSubscriptionInfo({ ...fields, taskOffsetSums: new Map([['0_1', -1]]) })).toThrow(/Offset sum -1 of task 0_1/);
    expect(() => encodeSubscriptionInfo({ ...fields, ownedActiveTasks: ['a_1'] })).toThrow(/Task id "a_1"/);
    expect(() => encodeSubscriptionInfo(fields, { version: 3 })).toThrow(/versions 1 to 2 are supported/);
  });
});

describe('decodeSubscriptionInfo', () => {
  it('reads only the versions of a newer subscription (version probing)', () => {
    const future = Uint8Array.from(Buffer.from('00000007000000090102030405', 'hex'));
    expect(decodeSubscriptionInfo(future)).toEqual({ supported: false, version: 7, latestSupportedVersion: 9 });
  });

  it('fails with TaskAssignmentError on truncated or padded bytes', () => {
    const bytes = encodeSubscriptionInfo(fields);
    expect(() => decodeSubscriptionInfo(bytes.subarray(0, bytes.length - 3))).toThrow(TaskAssignmentError);
    expect(() => decodeSubscriptionInfo(Uint8Array.from([...bytes, 0]))).toThrow(/1 unexpected trailing bytes/);
    expect(() => decodeSubscriptionInfo(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/version 0/);
  });
});
