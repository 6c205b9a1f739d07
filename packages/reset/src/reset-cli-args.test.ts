import { describe, expect, it } from 'vitest';
import { parseResetArgs } from './reset-cli-args.js';

const base = ['--application-id', 'orders'];

describe('parseResetArgs', () => {
  it('reads lists, switches and the default target and broker', () => {
    expect(parseResetArgs([...base, '--input-topics', 'a,b', '--input-topics=c', '--intermediate-topics', 'mid', '--dry-run'])).toEqual({
      command: 'reset',
      applicationId: 'orders',
      bootstrapServers: ['localhost:9092'],
      inputTopics: ['a', 'b', 'c'],
      intermediateTopics: ['mid'],
      internalTopics: [],
      resetTo: { type: 'to-earliest' },
      dryRun: true,
      force: false,
    });
  });

  it('accepts both spellings of the bootstrap flag and comma-separated brokers', () => {
    const command = parseResetArgs([...base, '--bootstrap-servers', 'one:9092,two:9092', '--bootstrap-server=three:9092']);
    expect(command.command === 'reset' && command.bootstrapServers).toEqual(['three:9092', 'one:9092', 'two:9092']);
  });

  it('parses each reset target', () => {
    const target = (...flags: string[]) => {
      const command = parseResetArgs([...base, ...flags]);
      return command.command === 'reset' ? command.resetTo : undefined;
    };
    expect(target('--to-latest')).toEqual({ type: 'to-latest' });
    expect(target('--to-datetime', '2026-01-01T00:00:00.000Z')).toEqual({ type: 'to-datetime', timestamp: Date.UTC(2026, 0, 1) });
    expect(target('--by-duration', 'PT1H')).toEqual({ type: 'by-duration', durationMs: 3_600_000 });
    expect(target('--to-offset', '42')).toEqual({ type: 'to-offset', offset: 42 });
    expect(target('--shift-by', '-5')).toEqual({ type: 'shift-by', shift: -5 });
    expect(target('--from-file=plan.csv')).toEqual({ type: 'from-file', file: 'plan.csv' });
  });

  it('returns help for --help', () => {
    expect(parseResetArgs(['--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], /--application-id is required/],
    [[...base, '--to-earliest', '--to-offset', '3'], /--to-earliest and --to-offset cannot be combined/],
    [[...base, '--to-offset', 'ten'], /--to-offset needs an integer of at least 0, not "ten"/],
    [[...base, '--to-offset', '-1'], /--to-offset needs an integer of at least 0/],
    [[...base, '--shift-by', '1.5'], /--shift-by needs an integer, not "1.5"/],
    [[...base, '--to-datetime', '2026-01-01'], /--to-datetime "2026-01-01" is not an ISO 8601 date-time/],
    [[...base, '--by-duration', '1h'], /--by-duration "1h" is not an ISO 8601 duration/],
    [[...base, '--input-topics', 'a,,b'], /--input-topics "a,,b" has an empty entry/],
    [[...base, '--input-topics'], /--input-topics needs a value/],
    [[...base, '--input-topics', '--dry-run'], /--input-topics needs a value/],
    [[...base, '--dry-run=yes'], /--dry-run takes no value/],
    [[...base, '--topics', 'a'], /Unknown option "--topics"/],
    [[...base, '--application-id', 'other'], /--application-id is given 2 times/],
  ])('rejects %j', (args, message) => {
    expect(() => parseResetArgs(args)).toThrow(message);
  });
});
