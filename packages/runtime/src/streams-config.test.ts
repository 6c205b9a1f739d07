import { ConfigError } from '@kstreams/core';
import { describe, expect, it, vi } from 'vitest';
import { productionHandlers } from './production-exception-handler.js';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const minimal = { applicationId: 'word-count', bootstrapServers: 'localhost:9092' } as const;

function configError(options: unknown): ConfigError {
  try {
    new StreamsConfig(options as StreamsConfigOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('StreamsConfig', () => {
  it('fills in Kafka Streams defaults', () => {
    const config = new StreamsConfig(minimal);
    expect(config.commitIntervalMs).toBe(30_000);
    expect(config.processingGuarantee).toBe('at_least_once');
    expect(config.numStreamThreads).toBe(1);
    expect(config.maxTaskIdleMs).toBe(0);
    expect(config.bufferedRecordsPerPartition).toBe(1000);
    expect(config.statestoreCacheMaxBytes).toBe(10 * 1024 * 1024);
    expect(config.replicationFactor).toBe(-1);
    expect(config.numStandbyReplicas).toBe(0);
    expect(config.windowstoreChangelogAdditionalRetentionMs).toBe(86_400_000);
    expect(config.clientId).toBe('word-count');
    expect(config.stateDir).toMatch(/kstreams$/);
    expect(config.productionExceptionHandler).toBe(productionHandlers.logAndFail);
    expect(config.dlqTopic).toBeUndefined();
  });

  it('accepts bootstrap servers as a comma-separated string or a list', () => {
    expect(new StreamsConfig({ ...minimal, bootstrapServers: 'a:9092, b:9093' }).bootstrapServers).toEqual(['a:9092', 'b:9093']);
    expect(new StreamsConfig({ ...minimal, bootstrapServers: ['127.0.0.1:1'] }).bootstrapServers).toEqual(['127.0.0.1:1']);
  });

  it('passes kafkajs SSL and SASL options through untouched', () => {
    const sasl = { mechanism: 'plain', username: 'user', password: 'secret' } as const;
    const config = new StreamsConfig({ ...minimal, kafka: { ssl: true, sasl } });
    expect(config.kafka).toEqual({ ssl: true, sasl });
  });

  it('keeps secrets out of appConfigs()', () => {
    const config = new StreamsConfig({ ...minimal, kafka: { sasl: { mechanism: 'plain', username: 'u', password: 'secret' } } });
    expect(JSON.stringify(config.appConfigs())).not.toContain('secret');
    expect(config.appConfigs()['applicationId']).toBe('word-count');
  });

  it('is frozen', () => {
    const config = new StreamsConfig(minimal);
    expect(() => Object.assign(config, { commitIntervalMs: 1 })).toThrow(TypeError);
  });

  it('rejects a missing or illegal applicationId, naming it', () => {
    expect(configError({ bootstrapServers: 'localhost:9092' }).message).toMatch(/applicationId must be a non-empty string, got undefined/);
    expect(configError({ ...minimal, applicationId: 'word count' }).message).toMatch(/applicationId "word count" cannot be used in Kafka topic names/);
  });

  it('rejects bootstrap servers that are not host:port, showing the culprit', () => {
    expect(configError({ ...minimal, bootstrapServers: [] }).message).toMatch(/bootstrapServers is empty/);
    expect(configError({ ...minimal, bootstrapServers: 'localhost' }).message).toMatch(/invalid address "localhost".*host:port/);
    expect(configError({ ...minimal, bootstrapServers: 42 }).message).toMatch(/got 42/);
  });

  it('accepts exactly_once_v2 with a 100 ms commit interval by default, and rejects the old names', () => {
    const config = new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once_v2' });
    expect(config.commitIntervalMs).toBe(100);
    expect(config.transactionTimeoutMs).toBe(10_000);
    expect(new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 500 }).commitIntervalMs).toBe(500);
    expect(configError({ ...minimal, processingGuarantee: 'exactly_once_beta' as 'exactly_once_v2' }).message).toMatch(/"exactly_once_beta" is not supported.*Use "exactly_once_v2"/);
    expect(configError({ ...minimal, processingGuarantee: 'sometimes' }).message).toMatch(/got "sometimes"/);
  });

  it('accepts the deprecated exactly_once with the same defaults and checks as exactly_once_v2, warning once at construction', () => {
    const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    const config = new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once', logger });
    expect(config.processingGuarantee).toBe('exactly_once');
    expect(config.commitIntervalMs).toBe(100);
    expect(config.transactionTimeoutMs).toBe(10_000);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/"exactly_once" is deprecated.*removed it in 4\.0.*Use "exactly_once_v2"/);
    expect(configError({ ...minimal, processingGuarantee: 'exactly_once', commitIntervalMs: 20_000 }).message).toMatch(/transactionTimeoutMs \(10000\) must be larger than commitIntervalMs \(20000\) under exactly_once:/);
    expect(new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once', commitIntervalMs: 20_000, transactionTimeoutMs: 60_000, logger }).commitIntervalMs).toBe(20_000);
    const quiet = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once_v2', logger: quiet });
    expect(quiet.warn).not.toHaveBeenCalled();
  });

  it('rejects a transaction timeout that a commit interval does not fit in', () => {
    expect(configError({ ...minimal, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 20_000 }).message).toMatch(/transactionTimeoutMs \(10000\) must be larger than commitIntervalMs \(20000\)/);
    expect(new StreamsConfig({ ...minimal, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 20_000, transactionTimeoutMs: 60_000 }).transactionTimeoutMs).toBe(60_000);
    expect(new StreamsConfig({ ...minimal, commitIntervalMs: 20_000 }).commitIntervalMs).toBe(20_000);
  });

  it.each([
    ['commitIntervalMs', -1, />= 0/],
    ['commitIntervalMs', 1.5, /integer/],
    ['numStreamThreads', 0, />= 1/],
    ['maxTaskIdleMs', -2, />= -1/],
    ['bufferedRecordsPerPartition', 0, />= 1/],
    ['statestoreCacheMaxBytes', -1, />= 0/],
    ['replicationFactor', 0, /-1 for the broker default/],
    ['numStandbyReplicas', -1, />= 0/],
    ['windowstoreChangelogAdditionalRetentionMs', -1, />= 0/],
    ['windowstoreChangelogAdditionalRetentionMs', 0.5, /integer/],
  ])('rejects %s = %s', (name, value, expected) => {
    const message = configError({ ...minimal, [name]: value }).message;
    expect(message).toContain(name);
    expect(message).toContain(String(value));
    expect(message).toMatch(expected);
  });

  it('accepts maxTaskIdleMs = -1 and replicationFactor = 3', () => {
    const config = new StreamsConfig({ ...minimal, maxTaskIdleMs: -1, replicationFactor: 3 });
    expect([config.maxTaskIdleMs, config.replicationFactor]).toEqual([-1, 3]);
  });

  it('rejects a default serde that is not a serde', () => {
    expect(configError({ ...minimal, defaultKeySerde: { serialize: () => null } }).message).toMatch(/defaultKeySerde must be a serde/);
  });

  it('validates the dead-letter topic name', () => {
    expect(new StreamsConfig({ ...minimal, dlqTopic: 'word-count.dlq' }).dlqTopic).toBe('word-count.dlq');
    expect(configError({ ...minimal, dlqTopic: 'bad/topic' }).message).toMatch(/dlqTopic "bad\/topic"/);
  });

  it('logs warnings and errors to stderr by default, and drops info', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { logger } = new StreamsConfig(minimal);
      logger.info('not shown');
      logger.error('Topic "word-counts" does not exist.');
      expect(write.mock.calls.map(([line]) => String(line))).toEqual([expect.stringMatching(/ ERROR Topic "word-counts" does not exist\.\n$/)]);
    } finally {
      write.mockRestore();
    }
  });
});
