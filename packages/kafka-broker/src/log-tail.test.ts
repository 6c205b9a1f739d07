import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogTail, startFailureMessage } from './log-tail.js';

describe('readLogTail', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'log-tail-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('returns the last lines, skipping blank ones', async () => {
    const file = join(directory, 'server.log');
    await writeFile(file, 'one\ntwo\n\nthree\nfour\n');
    expect(await readLogTail(file, 2)).toEqual(['three', 'four']);
    expect(await readLogTail(file, 10)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('returns no lines for a missing file', async () => {
    expect(await readLogTail(join(directory, 'missing.log'), 5)).toEqual([]);
  });
});

describe('startFailureMessage', () => {
  const failure = {
    nodeId: 2,
    address: '127.0.0.1:9092',
    reason: 'did not answer within 1000 ms',
    logFile: '/data/node-2/server.log',
    logTail: ['ERROR Address already in use'],
    outputTail: [] as string[],
  };

  it('names the node, its address, the reason, the log file and quotes the log tail', () => {
    const message = startFailureMessage(failure);
    expect(message).toContain('Kafka broker node 2 on 127.0.0.1:9092 did not answer within 1000 ms.');
    expect(message).toContain('/data/node-2/server.log');
    expect(message).toContain('--- broker log tail ---\nERROR Address already in use');
    expect(message).not.toContain('JVM output');
  });

  it('adds the JVM output tail when there is one and says when the log is empty', () => {
    const message = startFailureMessage({ ...failure, logTail: [], outputTail: ['Error: Could not find or load main class kafka.Kafka'] });
    expect(message).toContain('--- the broker log is empty ---');
    expect(message).toContain('--- JVM output tail ---\nError: Could not find or load main class kafka.Kafka');
  });
});
