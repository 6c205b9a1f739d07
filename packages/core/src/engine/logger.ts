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

/** The default logger: drops everything (library code never writes to the console). */
export const noopLogger: Logger = { error: ignore, warn: ignore, info: ignore, debug: ignore };

/** A logger that prefixes every message, e.g. with `task [0_3] `. */
export function prefixedLogger(logger: Logger, prefix: string): Logger {
  return {
    error: (message, extra) => logger.error(prefix + message, extra),
    warn: (message, extra) => logger.warn(prefix + message, extra),
    info: (message, extra) => logger.info(prefix + message, extra),
    debug: (message, extra) => logger.debug(prefix + message, extra),
  };
}
