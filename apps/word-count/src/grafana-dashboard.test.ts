import { readFileSync } from 'node:fs';
import { METRICS } from 'kstreams';
import { describe, expect, it } from 'vitest';

const dashboard = JSON.parse(readFileSync(new URL('../grafana/kstreams-dashboard.json', import.meta.url), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** Prometheus names of every documented instrument (dots and dashes become underscores). */
const documented = new Set(Object.values(METRICS).map((metric) => metric.name.replace(/[.-]/g, '_')));

describe('the Grafana dashboard', () => {
  it('has the panels the Kafka Streams guide asks for', () => {
    const titles = dashboard.panels.map((panel) => panel.title.toLowerCase());
    for (const topic of ['throughput', 'latency', 'lag', 'restore', 'errors', 'rebalances']) expect(titles.some((title) => title.includes(topic)), topic).toBe(true);
  });

  it('queries only documented kstreams metric names', () => {
    const queried = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => [...target.expr.matchAll(/kstreams_[a-z0-9_]+/g)].map((match) => match[0])));
    expect(queried.length).toBeGreaterThan(10);
    for (const name of queried) expect(documented, name).toContain(name.replace(/_(total|bucket|sum|count)$/, ''));
  });
});
