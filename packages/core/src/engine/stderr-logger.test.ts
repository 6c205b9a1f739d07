import { describe, expect, it, vi } from 'vitest';
import { ConfigError, StreamsError } from '../errors/streams-error.js';
import { prefixedLogger } from './logger.js';
import { describeError, formatLogLine, stderrLogger, type LogLevel } from './stderr-logger.js';

const NOON = Date.UTC(2026, 0, 5, 12, 0, 0);

function capture(level?: LogLevel): { lines: string[]; logger: ReturnType<typeof stderrLogger> } {
  const lines: string[] = [];
  const logger = stderrLogger({ ...(level === undefined ? {} : { level }), write: (line) => lines.push(line), nowMs: () => NOON });
  return { lines, logger };
}

describe('stderrLogger', () => {
  it('writes warnings and errors by default and drops info and debug', () => {
    const { lines, logger } = capture();
    logger.debug('debug');
    logger.info('info');
    logger.warn('careful');
    logger.error('broken');
    expect(lines).toEqual(['2026-01-05T12:00:00.000Z WARN careful', '2026-01-05T12:00:00.000Z ERROR broken']);
  });

  it('writes every level from the one configured', () => {
    const { lines, logger } = capture('info');
    logger.debug('debug');
    logger.info('started');
    expect(lines).toEqual(['2026-01-05T12:00:00.000Z INFO started']);
  });

  it('writes the context prefix, the message and the error with its cause chain on one line', () => {
    const { lines, logger } = capture();
    const cause = new Error('This server does not host this topic-partition\nretried 5 times');
    const error = new StreamsError('Topic "word-counts" does not exist.', { taskId: '1_0', cause });
    prefixedLogger(logger, 'stream-thread [app-StreamThread-1] ').error('Processing failed; shutting down.', { error });
    expect(lines).toEqual([
      '2026-01-05T12:00:00.000Z ERROR stream-thread [app-StreamThread-1] Processing failed; shutting down. ' +
        'error: StreamsError: Topic "word-counts" does not exist. (task 1_0) caused by: Error: This server does not host this topic-partition retried 5 times',
    ]);
  });

  it('writes to process.stderr when no writer is given', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      stderrLogger().error('visible');
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^\S+ ERROR visible\n$/));
    } finally {
      write.mockRestore();
    }
  });

  it('rejects an unknown level, naming the accepted ones', () => {
    expect(() => stderrLogger({ level: 'verbose' as LogLevel })).toThrow(ConfigError);
    expect(() => stderrLogger({ level: 'verbose' as LogLevel })).toThrow(/"error", "warn", "info" or "debug"/);
  });
});

describe('formatLogLine', () => {
  it('renders plain extra fields as JSON and skips undefined ones', () => {
    const line = formatLogLine({ level: 'warn', message: 'slow', extra: { partition: 3, offsets: [1n, 2n], missing: undefined }, timeMs: NOON });
    expect(line).toBe('2026-01-05T12:00:00.000Z WARN slow partition: 3 offsets: ["1n","2n"]');
  });
});

describe('describeError', () => {
  it('follows kafkajs-style originalError links and stops after five causes', () => {
    const retries = Object.assign(new Error('Number of retries exceeded'), { originalError: new Error('Connection refused') });
    expect(describeError(retries)).toBe('Error: Number of retries exceeded caused by: Error: Connection refused');
    let deep: Error = new Error('root');
    for (let level = 0; level < 10; level++) deep = new Error(`level ${level}`, { cause: deep });
    expect(describeError(deep).split(' caused by: ')).toHaveLength(6);
  });

  it('describes values that are not errors', () => {
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError({ code: 7 })).toBe('{"code":7}');
  });
});

describe('prefixedLogger', () => {
  it('passes no second argument when there are no extra fields, so console prints no "undefined"', () => {
    const calls: unknown[][] = [];
    const target = { error: (...args: unknown[]) => calls.push(args), warn: () => {}, info: () => {}, debug: () => {} };
    const logger = prefixedLogger(target, 'task [0_1] ');
    logger.error('closed');
    logger.error('failed', { error: 'x' });
    expect(calls).toEqual([['task [0_1] closed'], ['task [0_1] failed', { error: 'x' }]]);
  });
});
