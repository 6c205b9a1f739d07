/**
 * The logger the engine writes to. Shaped so that a kafkajs `logCreator` adapter or pino/winston
 * child loggers fit in a few lines. Messages describe state changes, not every record.
 */
export interface Logger {
  error(message: string, extra?: { [key: string]: unknown }): void;
  warn(message: string, extra?: { [key: string]: unknown }): void;
  info(message: string, extra?: { [key: string]: unknown }): void;
  debug(message: string, extra?: { [key: string]: unknown }): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything (the test driver's default; `KafkaStreams` defaults to `stderrLogger()`). */
export const noopLogger: Logger = { error: ignore, warn: ignore, info: ignore, debug: ignore };

/**
 * A logger that prefixes every message, e.g. with `task [0_3] `. The extra fields are passed on
 * only when there are some, so `console` as the logger prints no trailing `undefined`.
 */
export function prefixedLogger(logger: Logger, prefix: string): Logger {
  const forward = (level: keyof Logger) => (message: string, extra?: { [key: string]: unknown }) =>
    extra === undefined ? logger[level](prefix + message) : logger[level](prefix + message, extra);
  return { error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug') };
}
