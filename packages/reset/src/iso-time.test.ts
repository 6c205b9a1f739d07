import { describe, expect, it } from 'vitest';
import { parseDatetime, parseIsoDuration } from './iso-time.js';

describe('parseDatetime', () => {
  it('reads UTC, offsets with and without a colon, and no zone as UTC', () => {
    expect(parseDatetime('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDatetime('2026-01-01T01:00:00.000+01:00')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDatetime('2025-12-31T19:00:00-0500')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDatetime('2026-01-01T00:00:00.250')).toBe(Date.UTC(2026, 0, 1) + 250);
    expect(parseDatetime('2026-01-01T00:00')).toBe(Date.UTC(2026, 0, 1));
  });

  it('rejects dates without a time and impossible dates, naming the flag', () => {
    expect(() => parseDatetime('2026-01-01')).toThrow(/--to-datetime "2026-01-01" is not an ISO 8601 date-time/);
    expect(() => parseDatetime('2026-13-01T00:00:00Z')).toThrow(/--to-datetime "2026-13-01T00:00:00Z" is not a valid date-time/);
  });
});

describe('parseIsoDuration', () => {
  it('reads days, hours, minutes and fractional seconds', () => {
    expect(parseIsoDuration('PT1H')).toBe(3_600_000);
    expect(parseIsoDuration('P1DT12H')).toBe(36 * 3_600_000);
    expect(parseIsoDuration('PT30M')).toBe(1_800_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('p2d')).toBe(48 * 3_600_000);
  });

  it.each(['', 'P', 'PT', '1H', 'PT-1H', 'P1H', 'PT1H30'])('rejects %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/--by-duration .* is not an ISO 8601 duration/);
  });
});
