import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS } from './metric-names.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README mapping table', () => {
  it('lists every instrument with its kind, level and Java metric', () => {
    for (const metric of Object.values(METRICS)) {
      expect(readme, metric.name).toContain(`| \`${metric.name}\` | ${metric.kind}${metric.unit === undefined ? '' : ` (${metric.unit})`} | ${metric.level} | ${metric.java} |`);
    }
  });
});
