import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLogCreator } from './kafkajs-client-factory.js';

function captureLogger() {
  const calls: { level: string; args: unknown[] }[] = [];
  const at = (level: string) => (...args: unknown[]) => void calls.push({ level, args });
  return { calls, logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } };
}

describe('kafkajsLogCreator', () => {
  it('routes kafkajs ERROR and WARN to the same levels and INFO to debug, without kafkajs\' timestamp and logger name', () => {
    const { calls, logger } = captureLogger();
    const log = kafkajsLogCreator(logger)(logLevel.INFO);
    const entry = (message: string, extra: object = {}) => ({ timestamp: '2026-01-05T10:00:00.000Z', logger: 'kafkajs', message, ...extra });
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: entry('Connection error', { broker: 'localhost:9092' }) });
    log({ namespace: 'Consumer', level: logLevel.WARN, label: 'WARN', log: entry('Rebalancing') });
    log({ namespace: 'Consumer', level: logLevel.INFO, label: 'INFO', log: entry('Starting') });
    expect(calls).toEqual([
      { level: 'error', args: ['kafkajs Connection: Connection error', { broker: 'localhost:9092' }] },
      { level: 'warn', args: ['kafkajs Consumer: Rebalancing'] },
      { level: 'debug', args: ['kafkajs Consumer: Starting'] },
    ]);
  });
});
