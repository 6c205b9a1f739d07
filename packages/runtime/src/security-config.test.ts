import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { StreamsConfig, type StreamsConfigOptions } from './streams-config.js';

const minimal = { applicationId: 'word-count', bootstrapServers: 'localhost:9092' } as const;
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const directory = mkdtempSync(join(tmpdir(), 'kstreams-security-config-'));
const caFile = join(directory, 'ca.pem');
writeFileSync(caFile, PEM);

function configErrorMessage(options: Partial<StreamsConfigOptions> & { [key: string]: unknown }): string {
  try {
    new StreamsConfig({ ...minimal, ...options } as StreamsConfigOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('StreamsConfig ssl and sasl', () => {
  it('hands first-class ssl and sasl to kafkajs, reading caFile and lower-casing the mechanism', () => {
    const config = new StreamsConfig({ ...minimal, ssl: { caFile }, sasl: { mechanism: 'SCRAM-SHA-512' as 'scram-sha-512', username: 'app', password: 'app-secret' } });
    expect(config.kafka.ssl).toEqual({ ca: [PEM] });
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'app', password: 'app-secret' });
  });

  it('accepts the same settings through kafka.ssl and kafka.sasl, but not both ways at once', () => {
    const config = new StreamsConfig({ ...minimal, kafka: { ssl: true, sasl: { mechanism: 'plain', username: 'app', password: 'pw12' } } });
    expect(config.kafka.ssl).toBe(true);
    expect(configErrorMessage({ ssl: true, kafka: { ssl: true } })).toMatch(/ssl is set twice/);
  });

  it('names an unknown mechanism and missing credentials without echoing the password', () => {
    expect(configErrorMessage({ sasl: { mechanism: 'gssapi' } as never })).toMatch(/sasl.mechanism must be one of plain, scram-sha-256, scram-sha-512, oauthbearer, aws.*"gssapi"/);
    expect(configErrorMessage({ sasl: { mechanism: 'scram-sha-512', password: 'top-secret' } as never })).toBe('sasl.username is missing; SASL mechanism scram-sha-512 needs it.');
    expect(configErrorMessage({ sasl: { mechanism: 'plain', username: 'app', password: '' } })).toBe('sasl.password is empty; SASL mechanism plain needs it.');
    expect(configErrorMessage({ sasl: { mechanism: 'oauthbearer' } as never })).toMatch(/sasl.oauthBearerProvider must be a function/);
    expect(configErrorMessage({ sasl: { mechanism: 'aws', authorizationIdentity: 'id', accessKeyId: 'k' } as never })).toMatch(/sasl.secretAccessKey is missing/);
  });

  it('names an unreadable CA file, a file without a certificate and a path passed as PEM text', () => {
    expect(configErrorMessage({ ssl: { caFile: join(directory, 'missing.pem') } })).toMatch(/ssl.caFile ".*missing.pem" cannot be read \(ENOENT\)/);
    const notPem = join(directory, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(configErrorMessage({ ssl: { caFile: notPem } })).toMatch(/ssl.caFile ".*not.pem" holds no PEM CERTIFICATE block/);
    expect(configErrorMessage({ ssl: { ca: ['/etc/ssl/ca.pem'] } })).toMatch(/ssl.ca\[0\] is not PEM text.*ssl.caFile/);
    expect(configErrorMessage({ ssl: { ca: PEM, caFile } })).toMatch(/ssl.ca and ssl.caFile are both set/);
  });

  it('needs a client certificate and its key together', () => {
    expect(configErrorMessage({ ssl: { cert: PEM } })).toMatch(/ssl.key is missing/);
  });

  it('accepts a custom mechanism with its own authentication provider', () => {
    const authenticationProvider = () => ({ authenticate: async () => undefined });
    const config = new StreamsConfig({ ...minimal, sasl: { mechanism: 'my-mechanism', authenticationProvider } });
    expect((config.kafka.sasl as { mechanism: string }).mechanism).toBe('my-mechanism');
  });
});
