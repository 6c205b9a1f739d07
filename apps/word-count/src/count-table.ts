/**
 * Formats word counts as a small two-column table, most frequent first (ties alphabetical),
 * the least frequent words folded into a last line when there are more than `maxRows`.
 */
export function formatCountTable(counts: ReadonlyMap<string, number>, maxRows = 15): string[] {
  const rows = [...counts].sort(([leftWord, leftCount], [rightWord, rightCount]) => rightCount - leftCount || leftWord.localeCompare(rightWord));
  const shown = rows.slice(0, maxRows);
  const wordWidth = Math.max(4, ...shown.map(([word]) => word.length));
  const countWidth = Math.max(5, ...shown.map(([, count]) => String(count).length));
  const rule = `${'-'.repeat(wordWidth + 2)}+${'-'.repeat(countWidth + 2)}`;
  const lines = [` ${'word'.padEnd(wordWidth)} | ${'count'.padStart(countWidth)}`, rule];
  for (const [word, count] of shown) lines.push(` ${word.padEnd(wordWidth)} | ${String(count).padStart(countWidth)}`);
  const hidden = rows.slice(maxRows);
  if (hidden.length > 0) {
    lines.push(` … and ${hidden.length} more word${hidden.length === 1 ? '' : 's'} (${hidden.reduce((sum, [, count]) => sum + count, 0)} occurrences)`);
  }
  return lines;
}
