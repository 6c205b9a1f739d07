import { describe, expect, it } from 'vitest';
import { formatCountTable } from './count-table.js';

describe('formatCountTable', () => {
  it('lists the most frequent words first, ties in alphabetical order, in aligned columns', () => {
    expect(formatCountTable(new Map([['stream', 2], ['a', 5], ['sea', 2]]))).toEqual([
      ' word   | count',
      '--------+-------',
      ' a      |     5',
      ' sea    |     2',
      ' stream |     2',
    ]);
  });

  it('folds the words beyond the row limit into one summary line', () => {
    const lines = formatCountTable(new Map([['one', 3], ['two', 2], ['three', 1], ['four', 1]]), 2);
    expect(lines.slice(2)).toEqual([' one  |     3', ' two  |     2', ' … and 2 more words (2 occurrences)']);
  });
});
