import type { Logger } from '@kstreams/core';

/** What replaces a secret in logs, errors and config dumps. */
export const REDACTED = '[redacted]';

/** Field names whose values are secrets wherever they appear (SASL, TLS, JAAS, tokens). */
const SECRET_FIELD = /password|passphrase|secret|token|jaas|credential|^key$|^pfx$|privatekey/i;
/** Shorter values are not scrubbed out of text: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;
const MAX_DEPTH = 8;

/** The secret values of resolved security settings: passwords, AWS keys, TLS private keys and passphrases. */
export function secretValues(security: { readonly ssl?: unknown; readonly sasl?: unknown }): string[] {
  const values: unknown[] = [];
  const sasl = security.sasl as { [field: string]: unknown } | undefined;
  if (typeof sasl === 'object' && sasl !== null) values.push(sasl['password'], sasl['secretAccessKey'], sasl['sessionToken']);
  const ssl = security.ssl as { [field: string]: unknown } | undefined;
  if (typeof ssl === 'object' && ssl !== null) values.push(ssl['passphrase'], ...[ssl['key']].flat(), ...[ssl['pfx']].flat());
  return [...new Set(values.map(textOf).filter((value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH))];
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null && 'pem' in value) return textOf((value as { pem: unknown }).pem);
  return undefined;
}

/**
 * A copy of `value` without secrets: values of secret-named fields become `[redacted]`, and
 * every known secret is cut out of strings, error messages and stacks. Returns `value` itself
 * when it holds nothing to redact (errors keep their identity in the usual case).
 */
export function redact<T>(value: T, secrets: readonly string[] = []): T {
  return containsSecret(value, secrets, 0, new Set()) ? (redactValue(value, secrets, 0, new Map()) as T) : value;
}

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

function containsSecret(value: unknown, secrets: readonly string[], depth: number, seen: Set<object>): boolean {
  if (typeof value === 'string') return secrets.some((secret) => value.includes(secret));
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.has(value) || ArrayBuffer.isView(value)) return false;
  seen.add(value);
  if (value instanceof Error && (containsSecret(value.message, secrets, depth, seen) || containsSecret(value.stack, secrets, depth, seen) || containsSecret(value.cause, secrets, depth + 1, seen))) return true;
  return Object.entries(value).some(([field, inner]) => (SECRET_FIELD.test(field) && isRedactable(inner)) || containsSecret(inner, secrets, depth + 1, seen));
}

/** Functions (an OAuth token provider) and flags (`ssl: true`) say nothing secret. */
function isRedactable(value: unknown): boolean {
  return value !== undefined && value !== null && typeof value !== 'function' && typeof value !== 'boolean';
}

function redactValue(value: unknown, secrets: readonly string[], depth: number, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (depth > MAX_DEPTH) return REDACTED;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(redactValue(item, secrets, depth + 1, copies));
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(value)) as { [field: string]: unknown };
  copies.set(value, copy);
  if (value instanceof Error) {
    // message, stack and cause are own but non-enumerable on errors: copy them explicitly.
    Object.defineProperty(copy, 'message', { value: scrub(value.message, secrets), writable: true, configurable: true });
    if (value.stack !== undefined) Object.defineProperty(copy, 'stack', { value: scrub(value.stack, secrets), writable: true, configurable: true });
    if (value.cause !== undefined) Object.defineProperty(copy, 'cause', { value: redactValue(value.cause, secrets, depth + 1, copies), writable: true, configurable: true });
  }
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor) || (value instanceof Error && (key === 'message' || key === 'stack' || key === 'cause'))) continue;
    const inner = descriptor.value as unknown;
    const field = typeof key === 'string' ? key : '';
    const redacted = SECRET_FIELD.test(field) && isRedactable(inner) ? REDACTED : redactValue(inner, secrets, depth + 1, copies);
    Object.defineProperty(copy, key, { ...descriptor, value: redacted });
  }
  return copy;
}

/** A logger that redacts every message and extra before handing it on. */
export function redactingLogger(logger: Logger, secrets: readonly string[]): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, extra?: { [key: string]: unknown }): void => {
      if (extra === undefined) logger[level](redact(message, secrets));
      else logger[level](redact(message, secrets), redact(extra, secrets));
    };
  return { error: wrap('error'), warn: wrap('warn'), info: wrap('info'), debug: wrap('debug') };
}
