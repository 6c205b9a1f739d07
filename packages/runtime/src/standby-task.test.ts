import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryChangelog } from '@kstreams/changelog';
import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from './internal/engine-ports.js';
import { latestValueTopology, readLatestStore } from './internal/testing/latest-value-topology.js';
import { StandbyTask } from './standby-task.js';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

const changelog = { topic: 'app-latest-changelog', partition: 0 };
const text = (value: string): Uint8Array => Buffer.from(value);

describe('StandbyTask', () => {
  it('tails the changelog into its own LMDB store, checkpoints on close and resumes after its checkpoint', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'standby-task-'));
    directories.push(stateDir);
    const log = new InMemoryChangelog();
    for (let index = 0; index < 5; index++) log.append(changelog, text(`k${index}`), text(`v${index}`));
    const context = { applicationId: 'app', stateDir, reader: log, logger: noopLogger, acknowledgedOffset: () => undefined };
    const model = latestValueTopology('in').build();

    const standby = new StandbyTask(context, model, { subtopology: 0, partition: 0 }, '0_0');
    await standby.open();
    expect(await standby.poll()).toBe(5);
    log.append(changelog, text('k0'), null);
    expect(await standby.poll()).toBe(1);
    await standby.close();
    expect(await readFile(join(stateDir, 'app', '0_0', '.checkpoint'), 'utf8')).toBe('0\n1\napp-latest-changelog 0 5\n');
    expect(await readLatestStore(stateDir, 'app', '0_0')).toEqual(new Map([['k1', 'v1'], ['k2', 'v2'], ['k3', 'v3'], ['k4', 'v4']]));

    log.append(changelog, text('k9'), text('v9'));
    const reopened = new StandbyTask(context, model, { subtopology: 0, partition: 0 }, '0_0');
    await reopened.open();
    expect(await reopened.poll()).toBe(1);
    await reopened.close();
    expect((await readLatestStore(stateDir, 'app', '0_0')).get('k9')).toBe('v9');
  });
});
