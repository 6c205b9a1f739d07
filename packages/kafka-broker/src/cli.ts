#!/usr/bin/env node
import { parseCliArgs } from './cli-args.js';
import { runCliCommand } from './cli-commands.js';
import { defaultStateFile } from './cli-state.js';

/** `kstreams-kafka`: start, stop and inspect a local Kafka cluster from the shell. */
async function main(): Promise<number> {
  const output = {
    out: (line: string): void => void process.stdout.write(`${line}\n`),
    err: (line: string): void => void process.stderr.write(`${line}\n`),
  };
  try {
    return await runCliCommand(parseCliArgs(process.argv.slice(2)), { stateFile: defaultStateFile(), output });
  } catch (error) {
    output.err(`kstreams-kafka: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
