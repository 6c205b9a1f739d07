import { mkdtemp, readFile, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryChangelog, type ChangelogPartition } from '@kstreams/changelog';
import type { StateStore } from '@kstreams/core';
import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from './internal/engine-ports.js';
import { TaskRestoration, type ChangelogContext } from './task-restoration.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

const changelog = { topic: 'app-latest-changelog', partition: 1 };
const text = (value: string): Uint8Array => Buffer.from(value);

async function fixture(options: { persistent?: boolean; acknowledged?: number } = {}) {
  const stateDir = await mkdtemp(join(tmpdir(), 'task-restoration-'));
  directories.push(stateDir);
  const log = new InMemoryChangelog();
  for (let index = 0; index < 10; index++) log.append(changelog, text(`k${index}`), text(`v${index}`));
  const context: ChangelogContext = { applicationId: 'app', stateDir, reader: log, logger: noopLogger, acknowledgedOffset: (partition: ChangelogPartition) => (partition.topic === changelog.topic ? options.acknowledged : undefined) };
  const applied: string[] = [];
  const open = () => {
    const restoration = new TaskRestoration(context, '0_1', [{ storeName: 'latest', changelog }]);
    const store = { name: 'latest', persistent: options.persistent ?? true } as StateStore;
    return { restoration, register: () => restoration.registry.register(store, (records) => records.forEach(({ key }) => applied.push(Buffer.from(key).toString()))) };
  };
  return { stateDir, log, applied, open, checkpointPath: join(stateDir, 'app', '0_1', '.checkpoint') };
}

describe('TaskRestoration', () => {
  it('restores from the log start without a checkpoint and checkpoints the last restored offset', async () => {
    const { applied, open, checkpointPath } = await fixture();
    const { restoration, register } = open();
    await restoration.loadCheckpoint();
    register();
    expect(await restoration.restoreSlice(1_000)).toBe(true);
    expect(applied).toHaveLength(10);
    await restoration.writeCheckpoint();
    expect(await readFile(checkpointPath, 'utf8')).toBe('0\n1\napp-latest-changelog 1 9\n');
  });

  it('restores only the tail after a checkpoint written by an earlier owner', async () => {
    const { applied, open, log } = await fixture();
    const earlier = open();
    await earlier.restoration.loadCheckpoint();
    earlier.register();
    await earlier.restoration.restoreSlice(1_000);
    await earlier.restoration.writeCheckpoint();
    log.append(changelog, text('k10'), text('v10'));
    applied.length = 0;
    const later = open();
    await later.restoration.loadCheckpoint();
    later.register();
    expect(await later.restoration.restoreSlice(1_000)).toBe(true);
    expect(applied).toEqual(['k10']);
  });

  it('checkpoints the acknowledged changelog offset once writes went past the restored position', async () => {
    const { open } = await fixture({ acknowledged: 41 });
    const { restoration, register } = open();
    await restoration.loadCheckpoint();
    register();
    await restoration.restoreSlice(1_000);
    expect(restoration.checkpointEntries()).toEqual([{ ...changelog, offset: 41 }]);
  });

  it('never checkpoints an in-memory store, which is empty after a restart', async () => {
    const { open } = await fixture({ persistent: false, acknowledged: 41 });
    const { restoration, register } = open();
    await restoration.loadCheckpoint();
    register();
    await restoration.restoreSlice(1_000);
    expect(restoration.checkpointEntries()).toEqual([]);
  });

  it('wipes the task directory when the checkpoint is corrupted, then restores everything', async () => {
    const { applied, open, stateDir, checkpointPath } = await fixture();
    const taskDirectory = join(stateDir, 'app', '0_1');
    await mkdir(join(taskDirectory, 'latest'), { recursive: true });
    await writeFile(checkpointPath, 'not a checkpoint');
    const { restoration, register } = open();
    await restoration.loadCheckpoint();
    await expect(stat(join(taskDirectory, 'latest'))).rejects.toThrow();
    register();
    await restoration.restoreSlice(1_000);
    expect(applied).toHaveLength(10);
  });
});
