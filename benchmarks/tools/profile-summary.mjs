// Self time per function and per package of a `node --cpu-prof` profile, over a time window.
// Usage: node tools/profile-summary.mjs <dir with .cpuprofile files> <from s> <to s> [top N]
// Picks the main thread's profile (the file named *.0.NNN.cpuprofile); the window is seconds
// from the profile's start (pick the processing phase: see the per-second idle/GC line).
import { readFileSync, readdirSync } from 'node:fs';

const [directory, from, to, top] = [process.argv[2], Number(process.argv[3] ?? 0), Number(process.argv[4] ?? Infinity), Number(process.argv[5] ?? 30)];
const file = readdirSync(directory).find((name) => /\.0\.\d+\.cpuprofile$/.test(name)) ?? readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(`${directory}/${file}`, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const packageOf = (url) => {
  if (url === '') return 'native/other';
  const ours = /packages\/([^/]+)\//.exec(url);
  if (ours) return `@kstreams/${ours[1]}`;
  const dependency = /node_modules\/(?:\.pnpm\/)?(@?[^/@]+)/.exec(url);
  if (dependency) return dependency[1];
  return url.startsWith('node:') ? 'node internals' : url.split('/').slice(-2).join('/');
};
const bySelf = new Map();
const byPackage = new Map();
const perSecond = new Map();
let time = profile.startTime;
let total = 0;
for (let index = 0; index < profile.samples.length; index++) {
  const delta = profile.timeDeltas[index] ?? 0;
  time += delta;
  const second = Math.floor((time - profile.startTime) / 1e6);
  const frame = nodes.get(profile.samples[index]).callFrame;
  const bucket = perSecond.get(second) ?? { all: 0, idle: 0, gc: 0 };
  bucket.all += delta;
  if (frame.functionName === '(idle)') bucket.idle += delta;
  if (frame.functionName === '(garbage collector)') bucket.gc += delta;
  perSecond.set(second, bucket);
  if (second < from || second >= to) continue;
  const url = frame.url.replace(/^file:\/\//, '');
  const name = `${frame.functionName || '(anonymous)'}  ${url.split('/').slice(-2).join('/')}`;
  bySelf.set(name, (bySelf.get(name) ?? 0) + delta);
  const group = frame.functionName.startsWith('(') ? frame.functionName : packageOf(url);
  byPackage.set(group, (byPackage.get(group) ?? 0) + delta);
  total += delta;
}
const percent = (value) => `${((100 * value) / total).toFixed(1).padStart(5)}%`;
console.log('per second (idle, GC):', [...perSecond].map(([second, bucket]) => `${second}s ${Math.round((100 * bucket.idle) / bucket.all)}/${Math.round((100 * bucket.gc) / bucket.all)}`).join('  '));
console.log(`window ${from}-${to} s: ${(total / 1e6).toFixed(2)} s sampled`);
console.log('-- self time by package');
for (const [name, value] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${percent(value)}  ${name}`);
console.log('-- top self time');
for (const [name, value] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${percent(value)}  ${name}`);
