/** One step of the assignor simulation, as reported in results/assignor-simulation.json. */
export interface SimulationStep {
  readonly name: string;
  readonly instances: number;
  readonly minimumMoves: number;
  readonly kstreamsMoves: number;
  readonly kstreamsMovesInFirstRebalance: number;
  readonly roundRobinMoves: number;
  readonly orphanedTasks: number;
  readonly probingRebalances: number;
  readonly restoredRecordsOnPromotion: number;
  readonly warmupsLeft: number;
}

const SERIES = [
  { label: 'minimum possible', color: '#9d9d9d', value: (step: SimulationStep) => step.minimumMoves },
  { label: 'kstreams assignor', color: '#4c78a8', value: (step: SimulationStep) => step.kstreamsMoves },
  { label: 'round-robin', color: '#e45756', value: (step: SimulationStep) => step.roundRobinMoves },
] as const;

const BAR = 34;
const GROUP_GAP = 60;
const PLOT_HEIGHT = 220;
const LEFT = 50;
const TOP = 70;

/**
 * Grouped bars per step (tasks moved off instances that stay: minimum, kstreams, round-robin),
 * with the probing rebalances and records restored on promotion written under each group.
 * Plain SVG, no dependencies.
 */
export function renderSimulationChart(title: string, steps: readonly SimulationStep[]): string {
  const largest = Math.max(1, ...steps.flatMap((step) => SERIES.map((series) => series.value(step))));
  const groupWidth = SERIES.length * BAR + GROUP_GAP;
  const width = LEFT + steps.length * groupWidth + 40;
  const height = TOP + PLOT_HEIGHT + 90;
  const baseline = TOP + PLOT_HEIGHT;
  const parts: string[] = [];
  steps.forEach((step, group) => {
    const x0 = LEFT + group * groupWidth + GROUP_GAP / 2;
    SERIES.forEach((series, index) => {
      const value = series.value(step);
      const barHeight = (value / largest) * PLOT_HEIGHT;
      const x = x0 + index * BAR;
      parts.push(`<rect x="${x}" y="${(baseline - barHeight).toFixed(1)}" width="${BAR - 6}" height="${barHeight.toFixed(1)}" fill="${series.color}"/>`);
      parts.push(`<text x="${x + (BAR - 6) / 2}" y="${(baseline - barHeight - 4).toFixed(1)}" text-anchor="middle">${value}</text>`);
    });
    const middle = x0 + (SERIES.length * BAR) / 2;
    parts.push(`<text x="${middle}" y="${baseline + 18}" text-anchor="middle" font-weight="bold">${escape(step.name)}</text>`);
    parts.push(`<text x="${middle}" y="${baseline + 36}" text-anchor="middle">${step.probingRebalances} probing rebalances</text>`);
    parts.push(`<text x="${middle}" y="${baseline + 54}" text-anchor="middle">${step.restoredRecordsOnPromotion.toLocaleString('en-US')} records restored</text>`);
    parts.push(`<text x="${middle}" y="${baseline + 72}" text-anchor="middle">${step.orphanedTasks} tasks of the leaver</text>`);
  });
  const legend = SERIES.map((series, index) => `<rect x="${LEFT + index * 170}" y="34" width="12" height="12" fill="${series.color}"/><text x="${LEFT + index * 170 + 18}" y="45">${series.label}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `  <rect width="100%" height="100%" fill="white"/>`,
    `  <text x="12" y="22" font-size="15" font-weight="bold">${escape(title)}: tasks moved off instances that stay, per step</text>`,
    `  ${legend.join('\n  ')}`,
    `  <line x1="${LEFT - 10}" x2="${width - 20}" y1="${baseline}" y2="${baseline}" stroke="#333"/>`,
    `  ${parts.join('\n  ')}`,
    `</svg>`,
    '',
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
