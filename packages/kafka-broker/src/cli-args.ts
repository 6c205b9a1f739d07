import { KafkaBrokerError } from './kafka-broker-error.js';

/** A parsed `kstreams-kafka` command line. */
export type CliCommand =
  | { command: 'start'; nodes: 1 | 3; port?: number; dataDirectory?: string }
  | { command: 'stop' }
  | { command: 'status' }
  | { command: 'fetch' }
  | { command: 'help' };

/** Usage text of the CLI. */
export const CLI_USAGE = `Usage: kstreams-kafka <command> [options]

Commands:
  start [--nodes 1|3] [--port N] [--data-dir D]
          start a local Kafka cluster in the background and print its bootstrap servers
          (--port: client port of node 1, node i gets N+i-1; --data-dir: keep data there)
  stop    stop the cluster started by "start"
  status  tell whether it runs, and where
  fetch   download the broker's jars into the cache (needs Maven), start nothing
  help    show this text

Environment: KSTREAMS_KAFKA_CACHE (jar cache), KSTREAMS_KAFKA_STATE (state file).`;

function usageError(problem: string): KafkaBrokerError {
  return new KafkaBrokerError(`${problem}\n\n${CLI_USAGE}`);
}

function parsePort(text: string | undefined): number {
  const port = Number(text);
  if (text === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw usageError(`--port needs a TCP port between 1 and 65535, not "${text ?? ''}".`);
  }
  return port;
}

function parseNodes(text: string | undefined): 1 | 3 {
  if (text === '1' || text === '3') return Number(text) as 1 | 3;
  throw usageError(`--nodes must be 1 or 3, not "${text ?? ''}".`);
}

function parseStart(options: readonly string[]): CliCommand {
  const start: { command: 'start'; nodes: 1 | 3; port?: number; dataDirectory?: string } = { command: 'start', nodes: 1 };
  for (let index = 0; index < options.length; index += 1) {
    const [flag, inline] = (options[index] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? options[++index];
    if (flag === '--nodes') start.nodes = parseNodes(value());
    else if (flag === '--port') start.port = parsePort(value());
    else if (flag === '--data-dir') {
      const directory = value();
      if (directory === undefined || directory === '') throw usageError('--data-dir needs a directory.');
      start.dataDirectory = directory;
    } else throw usageError(`Unknown option "${flag}" for "start".`);
  }
  return start;
}

/** Parses the arguments after the program name; throws a {@link KafkaBrokerError} with the usage on mistakes. */
export function parseCliArgs(args: readonly string[]): CliCommand {
  const [command, ...options] = args;
  switch (command) {
    case 'start':
      return parseStart(options);
    case 'stop':
    case 'status':
    case 'fetch':
      if (options.length > 0) throw usageError(`"${command}" takes no options, got "${options.join(' ')}".`);
      return { command };
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help' };
    default:
      throw usageError(`Unknown command "${command}".`);
  }
}
