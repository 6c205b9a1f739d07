import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint-format.js';

describe('formatCheckpoint', () => {
  it('writes the version, the count and one sorted line per partition', () => {
    const text = formatCheckpoint([
      { topic: 'app-b-changelog', partition: 1, offset: 7 },
      { topic: 'app-a-changelog', partition: 3, offset: 41 },
    ]);
    expect(text).toBe('0\n2\napp-a-changelog 3 41\napp-b-changelog 1 7\n');
  });
});

describe('parseCheckpoint', () => {
  it('reads back what formatCheckpoint wrote', () => {
    const entries = [{ topic: 'app-counts-changelog', partition: 0, offset: 123_456_789 }];
    expect(parseCheckpoint(formatCheckpoint(entries))).toEqual({ ok: true, entries });
  });

  it('reads an empty checkpoint', () => {
    expect(parseCheckpoint('0\n0\n')).toEqual({ ok: true, entries: [] });
  });


  it.each([
    ['an unknown version', '1\n0\n', /unknown version/],
    ['an empty file', '', /unknown version/],
    ['a count that does not match the lines', '0\n2\na 0 5\n', /expected 2 entries but found 1/],
    ['a line with a missing offset', '0\n1\na 0\n', /malformed entry on line 3/],
    ['a line with a non-numeric offset', '0\n1\na 0 x5\n', /malformed entry/],
    ['a torn write', '0\n1\napp-count', /malformed entry/],
    ['a negative offset (kstreams never writes one)', '0\n2\na 0 -1\nb 0 5\n', /negative offset -1 on line 3/],
    ['a negative partition', '0\n1\na -1 5\n', /malformed entry on line 3/],
  ])('rejects %s', (_title, text, reason) => {
    const parsed = parseCheckpoint(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
