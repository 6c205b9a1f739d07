import { describe, expect, it, vi } from 'vitest';
import { inMemoryBackend } from '@kstreams/store-memory';
import { ChangelogTruncatedError } from './changelog-truncated-error.js';
import type { StateRestoreListener } from './state-restore-listener.js';
import { StoreChangelogReader } from './store-changelog-reader.js';
import { InMemoryChangelog } from './testing/in-memory-changelog.js';
import { bytes, openStore } from './testing/store-fixture.js';

const changelog = { topic: 'app-counts-changelog', partition: 1 };
const key = 'app-counts-changelog-1';

function fillChangelog(log: InMemoryChangelog, count: number, prefix = 'k'): void {
  for (let index = 0; index < count; index++) log.append(changelog, bytes(`${prefix}${String(index).padStart(3, '0')}`), bytes(`v${index}`));
}

function recordingListener(): StateRestoreListener & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    onRestoreStart: (_partition, store, start, end) => events.push(`start ${store} ${start}..${end}`),
    onBatchRestored: (_partition, store, batchEnd, count) => events.push(`batch ${store} ${batchEnd} ${count}`),
    onRestoreEnd: (_partition, store, total) => events.push(`end ${store} ${total}`),
    onRestoreSuspended: (_partition, store, total) => events.push(`suspended ${store} ${total}`),
  };
}

describe('StoreChangelogReader', () => {
  it('restores a store from the beginning when there is no checkpoint, applying tombstones', async () => {
    const log = new InMemoryChangelog();
    log.append(changelog, bytes('a'), bytes('1'));
    log.append(changelog, bytes('b'), bytes('2'));
    log.append(changelog, bytes('a'), null);
    log.append(changelog, bytes('c'), bytes('3'));
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged] });
    expect(await restorer.restore()).toBe('completed');
    expect(fixture.entries()).toEqual([['b', '2'], ['c', '3']]);
    expect(restorer.checkpointOffsets()).toEqual(new Map([[key, 3]]));
  });

  it('restores only the records after the checkpointed offset', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 10);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 6]]), restoreListener: listener });
    await restorer.restore();
    expect(log.reads[0]?.options.fromOffset).toBe(7);
    expect(fixture.entries().map(([name]) => name)).toEqual(['k007', 'k008', 'k009']);
    expect(listener.events).toEqual(['start counts 7..10', 'batch counts 9 3', 'end counts 3']);
  });

  it('writes records in batches and reports each batch', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 25);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 10, restoreListener: listener }).restore();
    expect(listener.events).toEqual(['start counts 0..25', 'batch counts 9 10', 'batch counts 19 10', 'batch counts 24 5', 'end counts 25']);
    expect(fixture.entries()).toHaveLength(25);
  });

  it('never restores aborted transactions and skips transaction markers', async () => {
    const log = new InMemoryChangelog();
    log.appendTransaction(changelog, [{ key: bytes('a'), value: bytes('committed') }], 'commit');
    log.appendTransaction(changelog, [{ key: bytes('a'), value: bytes('aborted') }, { key: bytes('b'), value: bytes('aborted') }], 'abort');
    log.appendTransaction(changelog, [{ key: bytes('c'), value: bytes('committed') }], 'commit');
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged] });
    expect(await restorer.restore()).toBe('completed');
    expect(fixture.entries()).toEqual([['a', 'committed'], ['c', 'committed']]);
    expect(restorer.checkpointOffsets().get(key)).toBe(6);
  });

  it('restores a compacted changelog whose offsets have gaps', async () => {
    const log = new InMemoryChangelog();
    for (let round = 0; round < 5; round++) fillChangelog(log, 4);
    log.compact(changelog);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 3, restoreListener: listener }).restore();
    expect(fixture.entries()).toEqual([['k000', 'v0'], ['k001', 'v1'], ['k002', 'v2'], ['k003', 'v3']]);
    expect(listener.events.at(-1)).toBe('end counts 4');
  });

  it('completes at once for an empty changelog without calling the listener', async () => {
    const log = new InMemoryChangelog();
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], restoreListener: listener });
    expect(await restorer.restore()).toBe('completed');
    expect(listener.events).toEqual([]);
    expect(log.reads).toEqual([]);
    expect(restorer.checkpointOffsets()).toEqual(new Map());
  });

  it('stops at the end offset taken when restoration started', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 10);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener: StateRestoreListener = { onBatchRestored: () => log.append(changelog, bytes('late'), bytes('x')) };
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 4, restoreListener: listener }).restore();
    expect(fixture.entries().map(([name]) => name)).not.toContain('late');
    expect(fixture.entries()).toHaveLength(10);
  });

  it('wipes the store and restores from the log start when the checkpoint is before it', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 10);
    log.truncateBefore(changelog, 5);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    fixture.store.put('stale', 'x');
    const wipeStore = vi.fn(() => fixture.wipe());
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 2]]), wipeStore }).restore();
    expect(wipeStore).toHaveBeenCalledWith('counts');
    expect(fixture.entries().map(([name]) => name)).toEqual(['k005', 'k006', 'k007', 'k008', 'k009']);
  });

  it('wipes the store and restores from the beginning when the checkpoint is past the log end', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 3);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    fixture.store.put('from-an-older-topic', 'x');
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 500]]), wipeStore: () => fixture.wipe() }).restore();
    expect(fixture.entries().map(([name]) => name)).toEqual(['k000', 'k001', 'k002']);
  });

  it('fails with a truncated-changelog error naming the partition when it may not wipe', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 3);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], checkpoints: new Map([[key, 500]]) });
    const error = await restorer.restore().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChangelogTruncatedError);
    expect((error as ChangelogTruncatedError).taskId).toBe('0_1');
    expect((error as Error).message).toContain('app-counts-changelog-1 has no offset 501');
  });

  it('starts over when the log is truncated while restoring', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 12);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    let truncated = false;
    const listener: StateRestoreListener = {
      onBatchRestored: () => {
        if (truncated) return;
        truncated = true;
        log.truncateBefore(changelog, 8);
      },
    };
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 4, restoreListener: listener, wipeStore: () => fixture.wipe() }).restore();
    expect(fixture.entries().map(([name]) => name)).toEqual(['k008', 'k009', 'k010', 'k011']);
  });

  it('can be suspended, keeps what was restored and continues from there', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 30);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const events = recordingListener();
    let batches = 0;
    const listener: StateRestoreListener = {
      ...events,
      onBatchRestored: (...args) => {
        events.onBatchRestored?.(...args);
        if (++batches === 2) restorer.suspend();
      },
    };
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 10, restoreListener: listener });
    expect(await restorer.restore()).toBe('suspended');
    expect(events.events.at(-1)).toBe('suspended counts 20');
    expect(fixture.entries()).toHaveLength(20);
    expect(restorer.checkpointOffsets().get(key)).toBe(19);
    fillChangelog(log, 5, 'new');
    expect(await restorer.restore()).toBe('completed');
    expect(log.reads.at(-2)?.options.fromOffset).toBe(20);
    expect(events.events.slice(-4)).toEqual(['start counts 20..35', 'batch counts 29 10', 'batch counts 34 5', 'end counts 15']);
    expect(fixture.entries()).toHaveLength(35);
  });

  it('restores in time-budgeted slices that continue without new end offsets or events', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 30);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    let clock = 0;
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 10, restoreListener: listener, now: () => clock, heartbeat: async () => void (clock += 5) });
    expect(await restorer.restore({ timeBudgetMs: 5 })).toBe('in-progress');
    expect(fixture.entries()).toHaveLength(10);
    fillChangelog(log, 5, 'new');
    expect(await restorer.restore({ timeBudgetMs: 5 })).toBe('in-progress');
    expect(await restorer.restore({ timeBudgetMs: 5 })).toBe('completed');
    expect(fixture.entries()).toHaveLength(30);
    expect(listener.events).toEqual(['start counts 0..30', 'batch counts 9 10', 'batch counts 19 10', 'batch counts 29 10', 'end counts 30']);
  });

  it('is suspended at once between slices and takes fresh end offsets when it resumes', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 20);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const listener = recordingListener();
    let clock = 0;
    const restorer = new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 10, restoreListener: listener, now: () => clock, heartbeat: async () => void (clock += 5) });
    expect(await restorer.restore({ timeBudgetMs: 1 })).toBe('in-progress');
    restorer.suspend();
    expect(listener.events.at(-1)).toBe('suspended counts 10');
    fillChangelog(log, 5, 'new');
    expect(await restorer.restore()).toBe('completed');
    expect(listener.events.slice(-4)).toEqual(['start counts 10..25', 'batch counts 19 10', 'batch counts 24 5', 'end counts 15']);
    expect(fixture.entries()).toHaveLength(25);
  });

  it('restores several stores round-robin, one batch each in turn', async () => {
    const log = new InMemoryChangelog();
    const other = { topic: 'app-totals-changelog', partition: 1 };
    fillChangelog(log, 6);
    for (let index = 0; index < 6; index++) log.append(other, bytes(`t${index}`), bytes('1'));
    const counts = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const totals = openStore({ name: 'totals', backend: inMemoryBackend(), changelog: other });
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [counts.logged, totals.logged], batchSize: 3 }).restore();
    expect(log.reads.map((read) => `${read.partition.topic}@${read.options.fromOffset}`)).toEqual([
      'app-counts-changelog@0',
      'app-totals-changelog@0',
      'app-counts-changelog@3',
      'app-totals-changelog@3',
    ]);
    expect(counts.entries()).toHaveLength(6);
    expect(totals.entries()).toHaveLength(6);
  });

  it('keeps restoring when a listener throws, and logs it', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 3);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const warn = vi.fn();
    const logger = { error: vi.fn(), warn, info: vi.fn(), debug: vi.fn() };
    const listener: StateRestoreListener = {
      onRestoreStart: () => {
        throw new Error('listener bug');
      },
    };
    expect(await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], restoreListener: listener, logger }).restore()).toBe('completed');
    expect(fixture.entries()).toHaveLength(3);
    expect(warn).toHaveBeenCalledWith('task [0_1] State restore listener threw in onRestoreStart; restoration continues', expect.anything());
  });

  it('logs progress with records restored out of the total, the rate and the ETA', async () => {
    const log = new InMemoryChangelog();
    fillChangelog(log, 100);
    const fixture = openStore({ name: 'counts', backend: inMemoryBackend(), changelog });
    const info = vi.fn();
    let clock = 0;
    const now = () => (clock += 1000);
    const logger = { error: vi.fn(), warn: vi.fn(), info, debug: vi.fn() };
    await new StoreChangelogReader({ taskId: '0_1', reader: log, stores: [fixture.logged], batchSize: 20, logger, now, progressIntervalMs: 1000 }).restore();
    const lines = info.mock.calls.map(([line]) => String(line));
    expect(lines[0]).toBe('task [0_1] Restoring store "counts" from changelog app-counts-changelog-1: offsets 0 to 100 (100 records at most)');
    expect(lines[1]).toBe('task [0_1] Restored 20/100 records of store "counts" at 20 records/s, ETA 4 s');
    expect(lines.at(-1)).toMatch(/^task \[0_1\] Finished restoring store "counts": 100 records in \d+ ms \(\d+ records\/s\)$/);
  });
});
