import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassDataArchive } from './class-data-archive.js';

describe('ClassDataArchive', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cds-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lets only the first broker dump the archive and publishes the dump after it stops', async () => {
    const file = join(directory, 'broker.jsa');
    const first = new ClassDataArchive(file);
    const dumpArgs = first.brokerArgs();
    expect(dumpArgs[0]).toMatch(/^-XX:ArchiveClassesAtExit=.*broker\.jsa\.\d+\.tmp$/);
    expect(new ClassDataArchive(file).brokerArgs()).toEqual([]);
    await writeFile((dumpArgs[0] as string).split('=')[1] as string, 'archive bytes');
    first.publish();
    expect(existsSync(file)).toBe(true);
    expect(new ClassDataArchive(file).brokerArgs()).toEqual([`-XX:SharedArchiveFile=${file}`, '-Xlog:cds=off']);
  });

  it('publishes nothing and frees the claim when the dumping JVM was killed', () => {
    const file = join(directory, 'broker.jsa');
    const killed = new ClassDataArchive(file);
    expect(killed.brokerArgs()).not.toEqual([]);
    killed.publish();
    expect(existsSync(file)).toBe(false);
    expect(new ClassDataArchive(file).brokerArgs()[0]).toMatch(/ArchiveClassesAtExit/);
  });

  it('never dumps when told it may not, and reads nothing before an archive exists', () => {
    const archive = new ClassDataArchive(join(directory, 'broker.jsa'), { mayDump: false });
    expect(archive.brokerArgs()).toEqual([]);
    expect(archive.readArgs()).toEqual([]);
  });
});
