import { rm } from 'node:fs/promises';
import type { CliCommand } from './cli-args.js';
import { CLI_USAGE } from './cli-args.js';
import { readCliState, removeCliState, writeCliState, type CliState } from './cli-state.js';
import { resolveKafkaJars } from './jar-cache.js';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { KafkaCluster } from './kafka-cluster.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { commandLine, isAlive, terminate } from './process-control.js';

/** Where CLI commands write: `out` for results (scriptable), `err` for progress and notes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Context of one CLI run. */
export interface CliContext {
  stateFile: string;
  output: CliOutput;
}

/** True when `pid` still runs the broker we started (guards against reused pids). */
function isOurBroker(pid: number, state: CliState): boolean {
  if (!isAlive(pid)) return false;
  const command = commandLine(pid);
  return command === undefined || (command.includes('kafka.Kafka') && command.includes(state.dataDirectory));
}

async function start(command: Extract<CliCommand, { command: 'start' }>, context: CliContext): Promise<void> {
  const previous = await readCliState(context.stateFile);
  if (previous !== undefined && previous.nodes.some((node) => isOurBroker(node.pid, previous))) {
    throw new KafkaBrokerError(`A Kafka cluster started by this tool already runs on ${previous.brokers}; run "kstreams-kafka stop" first.`);
  }
  context.output.err(`Starting ${command.nodes === 1 ? 'a single Kafka broker' : `a ${command.nodes}-node Kafka cluster`} (Kafka ${KAFKA_VERSION})...`);
  const cluster = await KafkaCluster.start({
    nodes: command.nodes,
    detached: true,
    ...(command.port === undefined ? {} : { port: command.port }),
    ...(command.dataDirectory === undefined ? {} : { dataDirectory: command.dataDirectory }),
  });
  await writeCliState(context.stateFile, {
    version: KAFKA_VERSION,
    brokers: cluster.brokers,
    nodes: cluster.nodes.map((node) => ({ nodeId: node.nodeId, pid: node.pid ?? -1, address: node.address })),
    dataDirectory: cluster.dataDirectory,
    removeDataDirectory: command.dataDirectory === undefined,
    startedAt: new Date().toISOString(),
    startMs: cluster.timings.totalMs,
  });
  context.output.err(`Started in ${cluster.timings.totalMs} ms; data in ${cluster.dataDirectory}. Stop it with "kstreams-kafka stop".`);
  context.output.out(cluster.brokers);
}

async function stop(context: CliContext): Promise<void> {
  const state = await readCliState(context.stateFile);
  if (state === undefined) {
    context.output.err('No Kafka cluster started by this tool is known; nothing to stop.');
    return;
  }
  await Promise.all(
    state.nodes.map(async (node) => {
      if (isOurBroker(node.pid, state)) await terminate(node.pid, { timeoutMs: 15_000 });
      else context.output.err(`Node ${node.nodeId} (pid ${node.pid}) no longer runs the broker; left alone.`);
    }),
  );
  if (state.removeDataDirectory) await rm(state.dataDirectory, { recursive: true, force: true });
  await removeCliState(context.stateFile);
  context.output.err(`Stopped the Kafka cluster on ${state.brokers}.`);
}

async function status(context: CliContext): Promise<boolean> {
  const state = await readCliState(context.stateFile);
  const running = state?.nodes.filter((node) => isOurBroker(node.pid, state)) ?? [];
  if (state === undefined || running.length === 0) {
    context.output.out('stopped');
    return false;
  }
  context.output.out(`running ${state.brokers} (${running.length}/${state.nodes.length} nodes, pids ${running.map((node) => node.pid).join(' ')}, data ${state.dataDirectory})`);
  return true;
}

/** Runs one CLI command; resolves to the process exit code. */
export async function runCliCommand(command: CliCommand, context: CliContext): Promise<number> {
  switch (command.command) {
    case 'start':
      await start(command, context);
      return 0;
    case 'stop':
      await stop(context);
      return 0;
    case 'status':
      return (await status(context)) ? 0 : 3;
    case 'fetch': {
      const jars = await resolveKafkaJars();
      context.output.out(jars.libsDirectory);
      return 0;
    }
    case 'help':
      context.output.out(CLI_USAGE);
      return 0;
  }
}
