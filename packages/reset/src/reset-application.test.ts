import { describe, expect, it } from 'vitest';
import type { TopicPartitionOffset } from '@kstreams/runtime';
import type { GroupMemberDescription, ResetAdmin } from './kafkajs-reset-admin.js';
import type { PartitionOffsets } from './offset-plan.js';
import { resetApplication, runReset } from './reset-application.js';
import { ApplicationRunningError } from './reset-errors.js';

/** An in-memory cluster: enough to check what the reset asks for, the broker tests check the real thing. */
class FakeAdmin implements ResetAdmin {
  topics = new Set(['in', 'mid', 'app-counts-changelog', 'app-KSTREAM-REPARTITION-0000000001-repartition', 'app-out']);
  members: GroupMemberDescription[] = [];
  commits: TopicPartitionOffset[][] = [];
  deleted: string[][] = [];
  removals = 0;

  async listTopics() { return [...this.topics]; }
  async groupMembers() { return [...this.members]; }
  async removeMembers() { this.removals++; this.members = []; }
  async partitionOffsets(_group: string, topics: readonly string[]): Promise<PartitionOffsets[]> {
    return topics.map((topic) => ({ topic, partition: 0, beginning: 2, end: 9, committed: 7 }));
  }
  async commitOffsets(_group: string, offsets: readonly TopicPartitionOffset[]) { this.commits.push([...offsets]); }
  async deleteTopics(topics: readonly string[]) { this.deleted.push([...topics]); for (const topic of topics) this.topics.delete(topic); }
  async close() {}
}

const member = { memberId: 'm-1', clientId: 'app-1', clientHost: '/127.0.0.1' };
const options = { applicationId: 'app', bootstrapServers: 'localhost:9092', inputTopics: ['in'], intermediateTopics: ['mid'] };

describe('runReset', () => {
  it('refuses while the group has members and changes nothing', async () => {
    const admin = new FakeAdmin();
    admin.members = [member];
    const reset = runReset(admin, options, { type: 'to-earliest' });
    await expect(reset).rejects.toThrow(ApplicationRunningError);
    await expect(runReset(admin, options, { type: 'to-earliest' })).rejects.toThrow(/Consumer group "app" still has 1 active member: m-1 \(client app-1 on \/127.0.0.1\)\. Stop every instance/);
    expect(admin.commits).toEqual([]);
    expect(admin.deleted).toEqual([]);
  });

  it('removes the members with force, then resets', async () => {
    const admin = new FakeAdmin();
    admin.members = [member];
    const report = await runReset(admin, { ...options, force: true }, { type: 'to-earliest' });
    expect(admin.removals).toBe(1);
    expect(report.removedMembers).toEqual([member]);
    expect(admin.commits).toHaveLength(1);
  });

  it('commits input offsets to the start and intermediate ones to the end, and deletes internal topics only', async () => {
    const admin = new FakeAdmin();
    const report = await runReset(admin, options, { type: 'to-earliest' });
    expect(admin.commits).toEqual([[{ topic: 'in', partition: 0, offset: 2 }, { topic: 'mid', partition: 0, offset: 9 }]]);
    expect(admin.deleted).toEqual([['app-KSTREAM-REPARTITION-0000000001-repartition', 'app-counts-changelog']]);
    expect([...admin.topics].sort()).toEqual(['app-out', 'in', 'mid']);
    expect(report.deletedTopics).toEqual(['app-KSTREAM-REPARTITION-0000000001-repartition', 'app-counts-changelog']);
  });

  it('changes nothing in a dry run but reports the same plan', async () => {
    const admin = new FakeAdmin();
    admin.members = [member];
    const report = await runReset(admin, { ...options, dryRun: true, force: true }, { type: 'to-earliest' });
    expect(admin.commits).toEqual([]);
    expect(admin.deleted).toEqual([]);
    expect(admin.removals).toBe(0);
    expect(report.inputOffsets).toEqual([{ topic: 'in', partition: 0, offset: 2, previous: 7 }]);
    expect(report.deletedTopics).toHaveLength(2);
  });

  it('reports missing topics and checks --internal-topics before changing anything', async () => {
    const admin = new FakeAdmin();
    const report = await runReset(admin, { ...options, inputTopics: ['in', 'gone'] }, { type: 'to-latest' });
    expect(report.missingTopics).toEqual(['gone']);
    const strict = new FakeAdmin();
    await expect(runReset(strict, { ...options, internalTopics: ['app-out'] }, { type: 'to-earliest' })).rejects.toThrow(/--internal-topics names "app-out"/);
    expect(strict.commits).toEqual([]);
  });
});

describe('resetApplication', () => {
  it.each([
    [{ resetTo: { type: 'to-offset', offset: -1 } }, /resetTo.offset must be an integer of at least 0, got -1/],
    [{ resetTo: { type: 'shift-by', shift: 1.5 } }, /resetTo.shift must be an integer, got 1.5/],
    [{ resetTo: { type: 'to-yesterday' } }, /resetTo must be one of \{ type: 'to-earliest' \}/],
    [{ resetTo: { type: 'from-file', offsets: [] } }, /resetTo.offsets \(from-file\) must list at least one/],
    [{ inputTopics: ['a'], intermediateTopics: ['a'] }, /Topic "a" is both an input and an intermediate topic/],
    [{ inputTopics: [''] }, /inputTopics has an empty or non-string topic name/],
    [{ bootstrapServers: 'no-port' }, /bootstrapServers has an invalid address/],
  ])('rejects %j before connecting', async (extra, message) => {
    await expect(resetApplication({ applicationId: 'app', bootstrapServers: 'localhost:1', ...(extra as object) })).rejects.toThrow(message);
  });
});
