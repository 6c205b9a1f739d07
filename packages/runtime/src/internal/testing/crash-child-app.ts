/**
 * One instance of the crash suite's app in a child process, run as
 * `node --conditions source --import tsx crash-child-app.ts '<CrashChildOptions as JSON>'`:
 * the running-sum topology with a changelogged LMDB store, a 100 ms commit interval and a 6 s
 * session timeout, so that the group notices a killed member quickly.
 *
 * On stdout it prints one line `progress <json>` every 250 ms (`state`, `processed` and each
 * active task's state) and a line per state change. SIGTERM closes it cleanly (exit 0); the ERROR state exits with 1; the end
 * of stdin (the parent died) exits at once, so a crashed harness leaves no instance behind.
 */
import { stderrLogger } from '@kstreams/core';
import { KafkaStreams } from '../../kafka-streams.js';
import type { ProcessingGuarantee } from '../../streams-config.js';
import { runningSumTopology } from './running-sum-topology.js';

/** What the harness passes to a child. */
export interface CrashChildOptions {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
  readonly stateDir: string;
  readonly processingGuarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
  /** The instances' log level (stderr, into the instance's log file). */
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
}

const options = JSON.parse(process.argv[2] ?? '{}') as CrashChildOptions;

const streams = new KafkaStreams(runningSumTopology(options.input, options.output), {
  applicationId: options.applicationId,
  bootstrapServers: options.brokers,
  stateDir: options.stateDir,
  processingGuarantee: options.processingGuarantee,
  commitIntervalMs: options.commitIntervalMs,
  consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 },
  logger: stderrLogger({ level: options.logLevel }),
});

function progressLine(): string {
  const tasks = streams.localThreadsMetadata().flatMap((thread) => thread.activeTasks);
  const processed = tasks.reduce((sum, task) => sum + task.processedRecords, 0);
  const taskStates = Object.fromEntries(tasks.map((task) => [task.taskId, task.state]));
  return `progress ${JSON.stringify({ state: streams.state(), processed, tasks: taskStates })}\n`;
}

streams.onStateChange((next, previous) => {
  process.stdout.write(`${new Date().toISOString()} state ${previous} -> ${next}\n`);
  if (next === 'ERROR') {
    process.stdout.write('fatal the instance went to ERROR\n');
    process.exit(1);
  }
});
process.stdin.on('end', () => process.exit(2));
process.stdin.resume();
process.once('SIGTERM', () => {
  void streams.close({ timeoutMs: 20_000 }).then((closed) => process.exit(closed ? 0 : 3));
});

setInterval(() => process.stdout.write(progressLine()), 250);
await streams.start();
