import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../internal/engine-ports.js';
import { kafkajsLogCreator } from './kafkajs-client-factory.js';

type Captured = [level: keyof Logger, line: string];

function capturingLogger(): { logger: Logger; lines: Captured[] } {
  const lines: Captured[] = [];
  const capture = (level: keyof Logger) => (message: string) => void lines.push([level, message]);
  return { logger: { error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') }, lines };
}

/** Feeds one line through the log creator as kafkajs would call it. */
function levelOf(level: logLevel, namespace: string, message: string, extra: { [key: string]: unknown } = {}): keyof Logger {
  const { logger, lines } = capturingLogger();
  kafkajsLogCreator(logger)(logLevel.INFO)({ namespace, level, label: '', log: { timestamp: '', message, ...extra } });
  return lines[0]![0];
}

describe('kafkajsLogCreator', () => {
  it('logs connection retries of a real kafkajs client at info, none at error', async () => {
    const { logger, lines } = capturingLogger();
    const kafka = new Kafka({
      brokers: ['127.0.0.1:1'],
      clientId: 'log-levels',
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(logger),
      retry: { retries: 1, initialRetryTime: 10, maxRetryTime: 20 },
    });
    await expect(kafka.admin().connect()).rejects.toThrow(/ECONNREFUSED/);
    expect(lines.filter(([, line]) => line.includes('Connection error: connect ECONNREFUSED')).length).toBeGreaterThan(0);
    expect(lines.filter(([level]) => level === 'error' || level === 'warn')).toEqual([]);
    expect(lines.find(([, line]) => line.startsWith('kafkajs BrokerPool: Failed to connect to seed broker'))?.[0]).toBe('info');
  });

  it.each([
    [logLevel.WARN, 'Runner', 'The group is rebalancing, re-joining', {}],
    [logLevel.ERROR, 'Runner', 'The coordinator is not aware of this member, re-joining the group', {}],
    [logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' }],
    [logLevel.ERROR, 'Connection', 'Response SyncGroup(key: 14, version: 3)', { error: 'Specified group generation id is not valid' }],
    [logLevel.ERROR, 'Connection', 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic creation errors' }],
    [logLevel.ERROR, 'Connection', 'Response Metadata(key: 3, version: 6)', { error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' }],
    [logLevel.WARN, 'Admin', 'Could not create topics', { error: 'This is not the correct controller for this cluster' }],
    [logLevel.WARN, 'ConsumerGroup', 'Consumer is not aware of all assigned partitions, refreshing metadata', {}],
    [logLevel.INFO, 'ConsumerGroup', 'Consumer has joined the group', {}],
  ])('sends routine kafkajs line (%s) %s "%s" to debug', (level, namespace, message, extra) => {
    expect(levelOf(level, namespace, message, extra)).toBe('debug');
  });

  it.each([
    [logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available'],
    [logLevel.ERROR, 'Consumer', 'Restarting the consumer in 300ms'],
    [logLevel.ERROR, 'Connection', 'Connection timeout'],
    [logLevel.ERROR, 'BrokerPool', 'Failed to connect to broker, reconnecting'],
    [logLevel.ERROR, 'Producer', 'Failed to send messages: This server is not the leader for that topic-partition'],
  ])('sends retried failure (%s) %s "%s" to info', (level, namespace, message) => {
    expect(levelOf(level, namespace, message)).toBe('info');
  });

  it.each([
    [logLevel.ERROR, 'Connection', 'Response SaslAuthenticate(key: 36, version: 1)', { error: 'SASL Authentication failed' }, 'error'],
    [logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNonRetriableError: Topic authorization failed', {}, 'error'],
    [logLevel.ERROR, 'ConsumerGroup', 'Offset out of range, resetting to default offset', {}, 'error'],
    [logLevel.WARN, 'RequestQueue', 'Response without match', {}, 'warn'],
  ])('keeps genuine failures at their level: (%s) %s "%s"', (level, namespace, message, extra, expected) => {
    expect(levelOf(level, namespace, message, extra)).toBe(expected);
  });
});
