import { describe, expect, it } from 'vitest';
import { parseResetPlan, runResetCli } from './reset-cli.js';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runResetCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('runResetCli', () => {
  it('prints the usage for --help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: kstreams-reset --application-id <id>/);
  });

  it('exits with 2 and names the flag on bad arguments', async () => {
    const { code, err } = await run('--application-id', 'app', '--to-offset', 'x');
    expect(code).toBe(2);
    expect(err).toEqual(['kstreams-reset: --to-offset needs an integer of at least 0, not "x".']);
  });

  it('exits with 2 when --from-file or --command-config cannot be read', async () => {
    expect((await run('--application-id', 'app', '--from-file', '/nonexistent/plan.csv')).err[0]).toMatch(/--from-file \/nonexistent\/plan.csv cannot be read \(ENOENT\)/);
    const config = await run('--application-id', 'app', '--command-config', '/nonexistent/client.json');
    expect(config.code).toBe(2);
    expect(config.err[0]).toMatch(/--command-config \/nonexistent\/client.json cannot be read/);
  });
});

describe('parseResetPlan', () => {
  it('reads topic,partition,offset lines and skips blank ones', () => {
    expect(parseResetPlan('a,0,5\n\na, 1 ,7\r\n')).toEqual([{ topic: 'a', partition: 0, offset: 5 }, { topic: 'a', partition: 1, offset: 7 }]);
  });

  it('names the bad line', () => {
    expect(() => parseResetPlan('a,0,5\na,1', 'plan.csv')).toThrow(/--from-file plan.csv line 2 "a,1" is not "topic,partition,offset"/);
    expect(() => parseResetPlan('\n', 'plan.csv')).toThrow(/--from-file plan.csv is empty/);
  });
});
