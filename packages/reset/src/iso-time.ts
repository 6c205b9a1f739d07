import { ConfigError } from '@kstreams/core';

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;
const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i;

/**
 * Parses `--to-datetime`: ISO 8601 `YYYY-MM-DDThh:mm:ss.sss` with an optional zone (`Z`,
 * `+01:00`, `-0500`). Without a zone the time is UTC, as Java's reset tool reads it. Returns
 * epoch milliseconds; throws a `ConfigError` naming `flag`.
 */
export function parseDatetime(text: string, flag = '--to-datetime'): number {
  const match = DATETIME.exec(text.trim());
  if (match === null) {
    throw new ConfigError(`${flag} "${text}" is not an ISO 8601 date-time. Use YYYY-MM-DDThh:mm:ss.sss with an optional zone, e.g. 2026-01-01T00:00:00.000Z.`);
  }
  const [, date, time, zone] = match as unknown as [string, string, string, string | undefined];
  const normalizedZone = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  // Date.parse takes at most milliseconds: cut longer fractions.
  const timestamp = Date.parse(`${date}T${time.replace(/(\.\d{3})\d+$/, '$1')}${normalizedZone}`);
  if (Number.isNaN(timestamp)) throw new ConfigError(`${flag} "${text}" is not a valid date-time (check the month, day and hour ranges).`);
  return timestamp;
}

/**
 * Parses `--by-duration`: an ISO 8601 duration `PnDTnHnMn.nS` (as Java's `Duration.parse`,
 * without signs), e.g. `PT1H`, `P1DT12H`, `PT0.5S`. Returns milliseconds.
 */
export function parseIsoDuration(text: string, flag = '--by-duration'): number {
  const match = DURATION.exec(text.trim());
  if (match === null || /T$/i.test(text.trim()) || match.slice(1).every((part) => part === undefined)) {
    throw new ConfigError(`${flag} "${text}" is not an ISO 8601 duration. Use PnDTnHnMnS, e.g. PT1H (one hour), P1DT12H or PT30M.`);
  }
  const [days, hours, minutes, seconds, fraction] = match.slice(1).map((part) => part ?? '0') as [string, string, string, string, string];
  const fractionMs = Number(`0.${fraction}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.floor(fractionMs);
}
