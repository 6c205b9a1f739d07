import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from './trace-parent.js';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('parseTraceparent', () => {
  it('reads a W3C traceparent from text or bytes as a remote, sampled context', () => {
    const expected = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true };
    expect(parseTraceparent(VALID)).toEqual(expected);
    expect(parseTraceparent(new TextEncoder().encode(VALID))).toEqual(expected);
  });

  it('rejects malformed values, version ff and all-zero ids', () => {
    for (const value of ['', 'garbage', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', `${VALID}-extra`, null, undefined]) {
      expect(parseTraceparent(value)).toBeUndefined();
    }
  });

  it('round-trips through formatTraceparent', () => {
    expect(formatTraceparent(parseTraceparent(VALID) as NonNullable<ReturnType<typeof parseTraceparent>>)).toBe(VALID);
  });
});
