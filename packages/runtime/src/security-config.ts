import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '@kstreams/core';
import type { Mechanism, SASLOptions } from 'kafkajs';
import { describeValue } from './internal/config-checks.js';

/**
 * TLS options: `true` for TLS with the system's CAs, or Node's `tls.connect` options (kafkajs'
 * `ssl` shape) plus file paths read once at construction: `caFile`, `certFile`, `keyFile`.
 */
export type StreamsSslOptions = boolean | (ConnectionOptions & { readonly caFile?: string | readonly string[]; readonly certFile?: string; readonly keyFile?: string });

/**
 * SASL options in kafkajs' shape: `plain`, `scram-sha-256`, `scram-sha-512`, `oauthbearer`,
 * `aws`, or a custom mechanism with its own `authenticationProvider`.
 */
export type StreamsSaslOptions = SASLOptions | Mechanism;

/** Where security settings can come from: the first-class options, or kafkajs' pass-through. */
export interface SecuritySources {
  readonly ssl?: StreamsSslOptions | undefined;
  readonly sasl?: StreamsSaslOptions | undefined;
  readonly kafka?: { readonly ssl?: unknown; readonly sasl?: unknown } | undefined;
}

/** The checked settings kafkajs receives: files read, mechanism in lower case. */
export interface ResolvedSecurity {
  readonly ssl?: ConnectionOptions | boolean;
  readonly sasl?: SASLOptions | Mechanism;
}

const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer', 'aws'] as const;

/**
 * Checks `ssl` and `sasl` (given as options of their own or inside `kafka`, not both) and
 * resolves them for kafkajs. Throws a `ConfigError` naming the bad field; passwords and keys
 * never appear in a message.
 */
export function resolveSecurity(sources: SecuritySources): ResolvedSecurity {
  const ssl = pick('ssl', sources.ssl, sources.kafka?.ssl);
  const sasl = pick('sasl', sources.sasl, sources.kafka?.sasl);
  return {
    ...(ssl === undefined ? {} : { ssl: checkSsl(ssl) }),
    ...(sasl === undefined ? {} : { sasl: checkSasl(sasl) }),
  };
}

function pick(name: string, own: unknown, passThrough: unknown): unknown {
  if (own !== undefined && passThrough !== undefined) {
    throw new ConfigError(`${name} is set twice, as an option and as kafka.${name}. Set it once (the ${name} option).`);
  }
  return own ?? passThrough;
}

function checkSsl(value: unknown): ConnectionOptions | boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object' || value === null) throw new ConfigError(`ssl must be true, false or an object of TLS options, got ${describeValue(value)}.`);
  const { caFile, certFile, keyFile, ...options } = value as Exclude<StreamsSslOptions, boolean>;
  if (caFile !== undefined && options.ca !== undefined) throw new ConfigError('ssl.ca and ssl.caFile are both set. Pass the CA either as PEM text (ca) or as a file (caFile).');
  const ca = caFile === undefined ? options.ca : (Array.isArray(caFile) ? caFile : [caFile]).map((file, index) => readPem(`ssl.caFile${Array.isArray(caFile) ? `[${index}]` : ''}`, file, 'CERTIFICATE'));
  if (typeof ca === 'string' || Array.isArray(ca)) checkPemText('ssl.ca', ca);
  const cert = certFile === undefined ? options.cert : readPem('ssl.certFile', certFile, 'CERTIFICATE');
  const key = keyFile === undefined ? options.key : readPem('ssl.keyFile', keyFile, 'PRIVATE KEY');
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError(`ssl.${cert === undefined ? 'cert' : 'key'} is missing: a client certificate needs both ssl.cert and ssl.key (or ssl.certFile and ssl.keyFile).`);
  }
  return { ...options, ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) };
}

/** Reads a PEM file; an unreadable file or one without the expected block is a ConfigError. */
function readPem(field: string, file: unknown, block: string): string {
  if (typeof file !== 'string' || file === '') throw new ConfigError(`${field} must be a file path, got ${describeValue(file)}.`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${field} "${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check the path and the file's permissions.`, { cause: error });
  }
  if (!text.includes('-----BEGIN') || !text.includes(block)) throw new ConfigError(`${field} "${file}" holds no PEM ${block} block ("-----BEGIN ...${block}-----").`);
  return text;
}

/** Catches a file path passed where PEM text belongs, the most common TLS configuration slip. */
function checkPemText(field: string, ca: string | readonly unknown[]): void {
  const entries = typeof ca === 'string' ? [ca] : ca;
  for (const [index, entry] of entries.entries()) {
    if (typeof entry === 'string' && !entry.includes('-----BEGIN')) {
      const name = typeof ca === 'string' ? field : `${field}[${index}]`;
      throw new ConfigError(`${name} is not PEM text (no "-----BEGIN CERTIFICATE-----"). Pass the certificate's contents, or its path as ssl.caFile.`);
    }
  }
}

function checkSasl(value: unknown): SASLOptions | Mechanism {
  if (typeof value !== 'object' || value === null) throw new ConfigError(`sasl must be an object like { mechanism: 'scram-sha-512', username, password }, got ${describeValue(value)}.`);
  const options = value as { [key: string]: unknown };
  if (typeof options['authenticationProvider'] === 'function') {
    if (typeof options['mechanism'] !== 'string' || options['mechanism'] === '') throw new ConfigError('sasl.mechanism must name the custom mechanism its authenticationProvider implements.');
    return value as Mechanism;
  }
  const mechanism = typeof options['mechanism'] === 'string' ? options['mechanism'].toLowerCase() : undefined;
  if (mechanism === undefined || !(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new ConfigError(`sasl.mechanism must be one of ${MECHANISMS.join(', ')} (or a custom mechanism with an authenticationProvider), got ${describeValue(options['mechanism'])}.`);
  }
  if (mechanism === 'oauthbearer') {
    if (typeof options['oauthBearerProvider'] !== 'function') throw new ConfigError('sasl.oauthBearerProvider must be a function returning { value: token } for mechanism oauthbearer.');
  } else if (mechanism === 'aws') {
    for (const field of ['authorizationIdentity', 'accessKeyId', 'secretAccessKey']) requireSecretText(`sasl.${field}`, options[field], mechanism);
  } else {
    requireSecretText('sasl.username', options['username'], mechanism);
    requireSecretText('sasl.password', options['password'], mechanism);
  }
  return { ...options, mechanism } as SASLOptions;
}

/** A required non-empty string; the message says what is wrong without echoing the value. */
function requireSecretText(field: string, value: unknown, mechanism: string): void {
  if (typeof value === 'string' && value !== '') return;
  const problem = value === undefined ? 'is missing' : typeof value === 'string' ? 'is empty' : `must be a string, got a ${typeof value}`;
  throw new ConfigError(`${field} ${problem}; SASL mechanism ${mechanism} needs it.`);
}
