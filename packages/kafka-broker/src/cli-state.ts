import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { findRepoRoot } from './repo-root.js';

/** What `kstreams-kafka start` leaves behind for `stop` and `status`. */
export interface CliState {
  version: string;
  /** Bootstrap servers, comma-separated. */
  brokers: string;
  nodes: { nodeId: number; pid: number; address: string }[];
  dataDirectory: string;
  /** Whether `stop` deletes the data directory (it was a temporary one). */
  removeDataDirectory: boolean;
  startedAt: string;
  startMs: number;
}

/** `$KSTREAMS_KAFKA_STATE`, else `<repo>/.kafka-data/cli-state.json`, else one under `~/.cache`. */
export function defaultStateFile(environment = process.env): string {
  const configured = environment['KSTREAMS_KAFKA_STATE'];
  if (configured !== undefined && configured !== '') return configured;
  const repoRoot = findRepoRoot();
  return repoRoot === undefined ? join(homedir(), '.cache', 'kstreams-kafka', 'cli-state.json') : join(repoRoot, '.kafka-data', 'cli-state.json');
}

/** Reads the state file; `undefined` when there is none. */
export async function readCliState(file: string): Promise<CliState | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CliState;
  } catch (error) {
    throw new KafkaBrokerError(`The state file ${file} is not valid JSON; delete it (and stop any broker it named by hand).`, { cause: error });
  }
}

/** Writes the state file, creating its directory. */
export async function writeCliState(file: string, state: CliState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Deletes the state file, if any. */
export async function removeCliState(file: string): Promise<void> {
  await rm(file, { force: true });
}
