import { describe, expect, it } from 'vitest';
import { decodeAssignmentInfo, emptyAssignmentInfo, encodeAssignmentInfo, type AssignmentInfo } from './assignment-info.js';
import { AssignorErrorCode } from './protocol-versions.js';

const info: AssignmentInfo = {
  version: 2,
  commonlySupportedVersion: 2,
  activeTasks: [
    { taskId: '0_1', partitions: [{ topic: 'orders', partition: 1 }, { topic: 'customers', partition: 1 }] },
    { taskId: '1_0', partitions: [{ topic: 'app-repartition', partition: 0 }] },
  ],
  standbyTasks: [{ taskId: '0_0', partitions: [{ topic: 'customers', partition: 0 }, { topic: 'orders', partition: 0 }] }],
  partitionsByHost: new Map([
    ['b:2', [{ topic: 'orders', partition: 0 }]],
    ['a:1', [{ topic: 'customers', partition: 1 }, { topic: 'orders', partition: 1 }]],
  ]),
  standbyPartitionsByHost: new Map([['a:1', [{ topic: 'orders', partition: 0 }]]]),
  errorCode: AssignorErrorCode.NONE,
  nextProbingRebalanceMs: 1_700_000_600_000,
};

/** `info` as it decodes: partitions sorted by topic and partition, hosts sorted. */
const sortedInfo: AssignmentInfo = {
  ...info,
  activeTasks: [{ taskId: '0_1', partitions: [{ topic: 'customers', partition: 1 }, { topic: 'orders', partition: 1 }] }, info.activeTasks[1] as AssignmentInfo['activeTasks'][number]],
  partitionsByHost: new Map([
    ['a:1', [{ topic: 'customers', partition: 1 }, { topic: 'orders', partition: 1 }]],
    ['b:2', [{ topic: 'orders', partition: 0 }]],
  ]),
};

describe('encodeAssignmentInfo', () => {
  it('writes versions, a sorted topic dictionary, tasks with partition indexes, hosts, error code, probing time', () => {
    const small: AssignmentInfo = { ...emptyAssignmentInfo(1, 2), activeTasks: [{ taskId: '0_3', partitions: [{ topic: 't', partition: 3 }] }], nextProbingRebalanceMs: 5 };
    expect(Buffer.from(encodeAssignmentInfo(small)).toString('hex')).toBe(
      [
        '00000001', '00000002', // version, commonly supported version
        '00000001', '00000001', '74', // topic dictionary: ["t"]
        '00000001', '00000000', '00000003', '00000001', '00000000', '00000003', // active 0_3: t-3
        '00000000', // standbys
        '00000000', '00000000', // partitionsByHost, standbyPartitionsByHost
        '00000000', // error code
        '0000000000000005', // next probing rebalance
      ].join(''),
    );
  });

  it('round-trips every field (partitions and hosts come back sorted)', () => {
    const decoded = decodeAssignmentInfo(encodeAssignmentInfo(info));
    expect(decoded.activeTasks[0]?.partitions).toEqual([{ topic: 'customers', partition: 1 }, { topic: 'orders', partition: 1 }]);
    expect([...decoded.partitionsByHost.keys()]).toEqual(['a:1', 'b:2']);
    expect(decoded).toEqual(sortedInfo);
  });

  it('writes "no probing rebalance" as -1 and reads it back as undefined', () => {
    const decoded = decodeAssignmentInfo(encodeAssignmentInfo({ ...info, nextProbingRebalanceMs: undefined }));
    expect(decoded.nextProbingRebalanceMs).toBeUndefined();
  });

  it('reads version 1 (the layout is shared with version 2)', () => {
    const decoded = decodeAssignmentInfo(encodeAssignmentInfo({ ...info, version: 1, commonlySupportedVersion: 1 }));
    expect(decoded).toEqual({ ...sortedInfo, version: 1, commonlySupportedVersion: 1 });
  });

  it('refuses versions it does not know, in both directions', () => {
    expect(() => encodeAssignmentInfo({ ...info, version: 3 })).toThrow(/versions 1 to 2 are supported/);
    const bytes = encodeAssignmentInfo(info);
    bytes[3] = 9;
    expect(() => decodeAssignmentInfo(bytes)).toThrow(/Cannot decode assignment info with version 9/);
  });

  it('names a topic index outside the dictionary', () => {
    const bytes = encodeAssignmentInfo({ ...emptyAssignmentInfo(2, 2), activeTasks: [{ taskId: '0_0', partitions: [{ topic: 't', partition: 0 }] }] });
    bytes[bytes.length - 12 - 4 * 3 - 5] = 7; // the topic index of the one partition
    expect(() => decodeAssignmentInfo(bytes)).toThrow(/topic index 7/);
  });
});
