import { ConfigError } from '../errors/streams-error.js';
import type { Logger } from './logger.js';

/** Logger levels from the most to the least severe. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const SEVERITY: { readonly [level in LogLevel]: number } = { error: 0, warn: 1, info: 2, debug: 3 };
/** How many causes of an error one line shows at most. */
const MAX_CAUSES = 5;

/** Options of {@link stderrLogger}. */
export interface StderrLoggerOptions {
  /** The least severe level written. Default `warn`: warnings and errors only. */
  readonly level?: LogLevel;
  /** Where each line goes (without its newline). Default: `process.stderr`. */
  readonly write?: (line: string) => void;
  /** Clock for the line's timestamp. Default: `Date.now`. */
  readonly nowMs?: () => number;
}

/**
 * The default logger of `KafkaStreams`: one line per event on stderr, from `level` up (default
 * WARN and ERROR, so a fatal error is never silent):
 * `2026-01-05T10:00:00.000Z ERROR stream-thread [app-StreamThread-1] Processing failed. error: StreamsError: … caused by: …`.
 *
 * @example
 * new KafkaStreams(topology, { applicationId: 'orders', bootstrapServers: 'localhost:9092', logger: stderrLogger({ level: 'info' }) });
 */
export function stderrLogger(options: StderrLoggerOptions = {}): Logger {
  const threshold = SEVERITY[checkLevel(options.level ?? 'warn')];
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const nowMs = options.nowMs ?? Date.now;
  const at = (level: LogLevel) =>
    SEVERITY[level] > threshold
      ? () => undefined
      : (message: string, extra?: { [key: string]: unknown }) => write(formatLogLine({ level, message, extra, timeMs: nowMs() }));
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** One event of a log line. */
export interface LogEvent {
  readonly level: LogLevel;
  readonly message: string;
  readonly extra?: { [key: string]: unknown } | undefined;
  readonly timeMs: number;
}

/** Formats one event as a single line: time, level, message, then each extra field (errors with their causes). */
export function formatLogLine(event: LogEvent): string {
  const fields = Object.entries(event.extra ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${describeField(value)}`);
  const line = [new Date(event.timeMs).toISOString(), event.level.toUpperCase(), event.message, ...fields].join(' ');
  return line.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `Name: message (task 0_1) caused by: Name: message …`, following `cause` (and kafkajs' `originalError`). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth <= MAX_CAUSES; depth++) {
    parts.push(describeOne(current));
    current = current instanceof Error ? (current.cause ?? (current as { originalError?: unknown }).originalError) : undefined;
  }
  return parts.join(' caused by: ');
}

function describeOne(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : safeJson(error);
  const taskId = (error as { taskId?: unknown }).taskId;
  const task = typeof taskId === 'string' && !error.message.includes(taskId) ? ` (task ${taskId})` : '';
  return `${error.name}: ${error.message}${task}`;
}

function describeField(value: unknown): string {
  if (value instanceof Error) return describeError(value);
  return typeof value === 'string' ? value : safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item)) ?? String(value);
  } catch {
    return String(value);
  }
}

function checkLevel(level: LogLevel): LogLevel {
  if (!Object.hasOwn(SEVERITY, level)) {
    throw new ConfigError(`stderrLogger: unknown level ${JSON.stringify(level)}. Use "error", "warn", "info" or "debug".`);
  }
  return level;
}
