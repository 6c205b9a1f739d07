/**
 * A/B runs for one optimisation: two (or more) kstreams contender entry points — typically this
 * checkout's `kstreams-app.ts` and the same file in a copy of the code before the change — and
 * optionally Java, alternating on one workload against one broker, medians per contender. Used to
 * measure each optimisation on its own (benchmarks/results/optimisations.md); not part of `bench`.
 * Each entry is compiled to JavaScript in its own checkout (contender-build.ts) and run by plain Node.
 *
 * ```sh
 * KAFKA_BROKERS=127.0.0.1:39092 AB_WORKLOAD=w2-count AB_ROUNDS=3 \
 *   AB_CONTENDERS=before=/tmp/base/benchmarks/src/suite/kstreams-app.ts,after=./kstreams-app.ts,java \
 *   node --conditions source --import tsx src/suite/ab-bench.ts
 * ```
 * `AB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` adds Node flags to the kstreams contenders.
 */
import { fileURLToPath } from 'node:url';
import { useKafka } from '@kstreams/kafka-broker';
import kafkajs from 'kafkajs';
import { summarise } from '../bench-results.js';
import { createTopic } from '../pipeline-workload.js';
import type { AppRun } from './app-protocol.js';
import { compileContenders } from './contender-build.js';
import { javaCommand, nodeCommand, type ContenderCommand } from './contender-process.js';
import { buildJavaContender } from './java-contender-build.js';
import { measureRun, type SuiteContender, type SuiteContext } from './suite-runs.js';
import { produceSuiteInput } from './topic-tools.js';
import { W1, W2, W2B, W3, W4 } from './workloads.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const workload = [W1, W2, W2B, W3, W4].find((candidate) => candidate.name === (process.env['AB_WORKLOAD'] ?? 'w2-count'));
if (workload === undefined) throw new Error(`AB_WORKLOAD: unknown workload "${process.env['AB_WORKLOAD']}"`);
const rounds = Number(process.env['AB_ROUNDS'] ?? 3);
const nodeArgs = (process.env['AB_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');

/** A kstreams-side contender: its TypeScript entry compiled to JavaScript (contender-build.ts) and run by plain Node. */
async function nodeContender(name: string, entry: string): Promise<SuiteContender> {
  const [compiled] = await compileContenders([entry.startsWith('/') ? entry : fileURLToPath(new URL(entry, import.meta.url))]);
  log(`${name}: ${compiled!}`);
  return { name, command: (run: AppRun): ContenderCommand => nodeCommand(compiled!, run, nodeArgs) };
}

async function contenders(): Promise<SuiteContender[]> {
  const specs = (process.env['AB_CONTENDERS'] ?? 'kstreams=./kstreams-app.ts').split(',');
  const result: SuiteContender[] = [];
  for (const spec of specs) {
    if (spec === 'java') {
      const java = await buildJavaContender();
      result.push({ name: 'java', command: (run) => javaCommand(java.classPath, run) });
    } else {
      const [name, entry] = spec.split('=');
      result.push(await nodeContender(name!, entry!));
    }
  }
  return result;
}

const all = await contenders();
const connection = await useKafka();
const kafka = new kafkajs.Kafka({ clientId: 'ab', brokers: connection.brokers, logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const topic = process.env['AB_INPUT_TOPIC'] ?? `ab-input-${workload.input.name}-${Date.now().toString(36)}`;
if (process.env['AB_INPUT_TOPIC'] === undefined) {
  await createTopic(admin, topic, workload.input.partitions);
  await produceSuiteInput(kafka, topic, workload.input);
  log(`input written to ${topic} (reuse with AB_INPUT_TOPIC=${topic})`);
}
const context: SuiteContext = { kafka, admin, bootstrap: connection.brokers.join(','), inputTopics: new Map([[workload.input.name, topic]]) };
const results = new Map<string, { rate: number[]; cpu: number[]; rss: number[] }>(all.map((contender) => [contender.name, { rate: [], cpu: [], rss: [] }]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? all : [...all].reverse();
  for (const contender of order) {
    const measured = await measureRun(context, workload, contender, { label: `ab${round + 1}`, verify: round === 0, keepState: false });
    const into = results.get(contender.name)!;
    into.rate.push(measured.recordsPerSecondFromRunning);
    into.cpu.push(measured.cpuSeconds);
    into.rss.push(measured.peakRssMb);
  }
}
const first = all[0]!.name;
const median = (values: number[]): number => summarise('', values).median;
log(`\n${workload.name}, ${rounds} round(s), medians (min-max); ratios vs ${first}`);
for (const [name, into] of results) {
  const base = results.get(first)!;
  log(
    `${name.padEnd(10)} ${Math.round(median(into.rate)).toLocaleString('en-US').padStart(8)} rec/s (${Math.round(Math.min(...into.rate))}-${Math.round(Math.max(...into.rate))}) ` +
      `${(median(into.rate) / median(base.rate)).toFixed(2)}x | CPU-s ${median(into.cpu).toFixed(1)} (${(median(into.cpu) / median(base.cpu)).toFixed(2)}x) | RSS ${Math.round(median(into.rss))} MiB`,
  );
}
await admin.disconnect();
await connection.close();
process.exit(0);
