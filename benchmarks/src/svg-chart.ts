import type { BenchmarkResult } from './bench-results.js';

const ROW_HEIGHT = 34;
const LABEL_WIDTH = 230;
const BAR_WIDTH = 420;
const TOP = 48;

/** A bar longer than this many times the baseline's longest run is drawn cut off at the edge. */
const MAX_SCALE_OVER_BASELINE = 4;

/**
 * A horizontal bar chart of a benchmark result: one bar per contender at its median, a line
 * from its min to its max run, and the value and its ratio to the first contender (the
 * baseline) at the bar's end. The axis ends at {@link MAX_SCALE_OVER_BASELINE} times the
 * baseline, so one far faster contender does not squash the others: its bar is cut off and
 * marked. Plain SVG, no dependencies.
 */
export function renderBarChart(result: BenchmarkResult): string {
  const baseline = result.contenders[0];
  const largest = Math.max(1, ...result.contenders.map((contender) => contender.max));
  const axisEnd = baseline === undefined || baseline.max <= 0 ? largest : Math.min(largest, baseline.max * MAX_SCALE_OVER_BASELINE);
  const scale = (value: number): number => (Math.min(value, axisEnd) / axisEnd) * BAR_WIDTH;
  const height = TOP + result.contenders.length * ROW_HEIGHT + 24;
  const width = LABEL_WIDTH + BAR_WIDTH + 230;
  const rows = result.contenders.map((contender, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const middle = y + ROW_HEIGHT / 2 - 4;
    const cutOff = contender.max > axisEnd;
    const ratio = contender.rejected !== undefined || index === 0 || baseline === undefined || baseline.median <= 0 ? '' : ` (${(contender.median / baseline.median).toFixed(2)}×)`;
    const row = [
      `<text x="${LABEL_WIDTH - 8}" y="${middle + 4}" text-anchor="end">${escape(contender.name)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${scale(contender.median).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${index === 0 ? '#4c78a8' : '#72b7b2'}"/>`,
      `<line x1="${(LABEL_WIDTH + scale(contender.min)).toFixed(1)}" x2="${(LABEL_WIDTH + scale(contender.max)).toFixed(1)}" y1="${middle}" y2="${middle}" stroke="#333" stroke-width="2"/>`,
      `<text x="${(LABEL_WIDTH + scale(contender.max) + 6).toFixed(1)}" y="${middle + 4}">${contender.rejected === undefined ? formatNumber(contender.median) : 'rejected'}${ratio}${cutOff ? ' (off scale)' : ''}</text>`,
    ];
    if (cutOff) {
      const edge = LABEL_WIDTH + BAR_WIDTH;
      row.push(`<path d="M${edge - 14} ${y - 2} l6 ${ROW_HEIGHT - 6} M${edge - 7} ${y - 2} l6 ${ROW_HEIGHT - 6}" stroke="white" stroke-width="3"/>`);
    }
    return row.join('\n  ');
  });
  const title = `${result.benchmark}: ${result.unit} (median, min–max of ${result.contenders[0]?.runs.length ?? 0} runs; ratio to ${baseline?.name ?? 'baseline'})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `  <rect width="100%" height="100%" fill="white"/>`,
    `  <text x="12" y="24" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `  ${rows.join('\n  ')}`,
    `</svg>`,
    '',
  ].join('\n');
}

function formatNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
