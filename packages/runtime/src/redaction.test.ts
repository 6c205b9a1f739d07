import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactingLogger, secretValues } from './redaction.js';
import { StreamsConfig } from './streams-config.js';

describe('redact', () => {
  it('blanks secret-named fields and cuts known secrets out of any string', () => {
    const value = { sasl: { mechanism: 'plain', username: 'app', password: 'hunter22' }, note: 'login hunter22 failed', list: ['hunter22'], ssl: true };
    expect(redact(value, ['hunter22'])).toEqual({ sasl: { mechanism: 'plain', username: 'app', password: REDACTED }, note: `login ${REDACTED} failed`, list: [REDACTED], ssl: true });
  });

  it('returns the value itself when there is nothing to redact', () => {
    const error = new Error('plain failure');
    expect(redact({ error }, ['hunter22']).error).toBe(error);
  });

  it('copies an error holding a secret, keeping its class and cleaning message, stack, cause and fields', () => {
    class KafkaJSError extends Error {
      broker = '127.0.0.1:9092 hunter22';
    }
    const error = new KafkaJSError('auth with hunter22', { cause: new Error('inner hunter22') });
    const redacted = redact(error, ['hunter22']);
    expect(redacted).toBeInstanceOf(KafkaJSError);
    expect(redacted.message).toBe(`auth with ${REDACTED}`);
    expect(redacted.stack).not.toContain('hunter22');
    expect((redacted.cause as Error).message).toBe(`inner ${REDACTED}`);
    expect(redacted.broker).toBe(`127.0.0.1:9092 ${REDACTED}`);
    expect(error.message).toBe('auth with hunter22');
  });

  it('survives cycles', () => {
    const value: { self?: unknown; password: string } = { password: 'hunter22' };
    value.self = value;
    const redacted = redact(value, []);
    expect(redacted.password).toBe(REDACTED);
    expect(redacted.self).toBe(redacted);
  });
});

describe('secretValues', () => {
  it('collects SASL passwords, AWS secrets and TLS keys and passphrases', () => {
    expect(secretValues({ sasl: { mechanism: 'aws', secretAccessKey: 'aws-secret', sessionToken: 'aws-token' }, ssl: { key: 'PRIVATE-KEY-PEM', passphrase: 'key-pass' } })).toEqual(['aws-secret', 'aws-token', 'key-pass', 'PRIVATE-KEY-PEM']);
  });
});

describe('StreamsConfig redaction', () => {
  const config = new StreamsConfig({
    applicationId: 'app',
    bootstrapServers: 'localhost:9092',
    sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'hunter22' },
  });

  it('dumps the configuration without the password (JSON and util.inspect)', () => {
    expect(JSON.stringify(config)).not.toContain('hunter22');
    expect(JSON.stringify(config)).toContain('"username":"app"');
    expect(inspect(config, { depth: 5 })).not.toContain('hunter22');
    expect(config.kafka.sasl).toMatchObject({ password: 'hunter22' });
  });

  it('redacts every line its logger writes', () => {
    const lines: string[] = [];
    const sink = (message: string, extra?: object) => lines.push(`${message} ${inspect(extra, { depth: 5 })}`);
    const logged = new StreamsConfig({ applicationId: 'app', bootstrapServers: 'localhost:9092', sasl: { mechanism: 'plain', username: 'app', password: 'hunter22' }, logger: { error: sink, warn: sink, info: sink, debug: sink } });
    logged.logger.error('connecting with hunter22', { error: new Error('hunter22 rejected'), config: logged.kafka });
    expect(lines.join('\n')).not.toContain('hunter22');
    expect(lines.join('\n')).toContain(REDACTED);
  });

  it('wraps any logger', () => {
    const lines: string[] = [];
    redactingLogger({ error: (message) => lines.push(message), warn: () => undefined, info: () => undefined, debug: () => undefined }, ['hunter22']).error('x hunter22');
    expect(lines).toEqual([`x ${REDACTED}`]);
  });
});
