import { readFile } from 'node:fs/promises';
import { ConfigError, StreamsError, type Logger } from '@kstreams/core';
import type { TopicPartitionOffset } from '@kstreams/runtime';
import { resetApplication } from './reset-application.js';
import { RESET_USAGE, parseResetArgs, type CliResetTarget } from './reset-cli-args.js';
import type { OffsetResetTarget, ResetOptions } from './reset-options.js';
import { formatResetReport } from './reset-report.js';

/** Where the CLI writes: report lines to `out`, errors to `err`. */
export interface ResetCliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs `kstreams-reset` with `args` (without the program name) and returns the exit code: 0
 * done, 1 an error or a missing input/intermediate topic (as Java's tool), 2 bad arguments.
 */
export async function runResetCli(args: readonly string[], output: ResetCliOutput, options: { readonly logger?: Logger } = {}): Promise<number> {
  let command;
  try {
    command = parseResetArgs(args);
  } catch (error) {
    output.err(`kstreams-reset: ${(error as Error).message}`);
    return 2;
  }
  if (command.command === 'help') {
    output.out(RESET_USAGE);
    return 0;
  }
  try {
    const connection = command.commandConfig === undefined ? {} : await readCommandConfig(command.commandConfig);
    const resetOptions: ResetOptions = {
      ...connection,
      applicationId: command.applicationId,
      bootstrapServers: command.bootstrapServers,
      inputTopics: command.inputTopics,
      intermediateTopics: command.intermediateTopics,
      internalTopics: command.internalTopics,
      resetTo: await resolveTarget(command.resetTo),
      dryRun: command.dryRun,
      force: command.force,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    };
    const report = await resetApplication(resetOptions);
    for (const line of formatResetReport(report)) output.out(line);
    return report.missingTopics.length > 0 ? 1 : 0;
  } catch (error) {
    output.err(`kstreams-reset: ${StreamsError.isInstance(error) || error instanceof Error ? error.message : String(error)}`);
    return ConfigError.isInstance(error) ? 2 : 1;
  }
}

async function resolveTarget(target: CliResetTarget): Promise<OffsetResetTarget> {
  if (target.type !== 'from-file') return target;
  return { type: 'from-file', offsets: parseResetPlan(await readText('--from-file', target.file), target.file) };
}

/** Parses a `--from-file` plan: one `topic,partition,offset` per line (blank lines ignored). */
export function parseResetPlan(text: string, file = '--from-file'): TopicPartitionOffset[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const offsets: TopicPartitionOffset[] = [];
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const parts = line.split(',').map((part) => part.trim());
    const [topic, partition, offset] = parts;
    if (parts.length !== 3 || topic === '' || !/^\d+$/.test(partition ?? '') || !/^\d+$/.test(offset ?? '')) {
      throw new ConfigError(`--from-file ${file} line ${index + 1} "${line}" is not "topic,partition,offset" (partition and offset non-negative integers).`);
    }
    offsets.push({ topic: topic!, partition: Number(partition), offset: Number(offset) });
  }
  if (offsets.length === 0) throw new ConfigError(`--from-file ${file} is empty: it needs "topic,partition,offset" lines.`);
  return offsets;
}

/** The `--command-config` JSON file: the connection options `KafkaStreams` takes (`ssl`, `sasl`, `clientId`, `kafka`). */
async function readCommandConfig(file: string): Promise<Pick<ResetOptions, 'ssl' | 'sasl' | 'clientId' | 'kafka'>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText('--command-config', file));
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw new ConfigError(`--command-config ${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`--command-config ${file} must hold a JSON object like { "ssl": true, "sasl": { ... } }.`);
  const unknown = Object.keys(parsed).filter((key) => !['ssl', 'sasl', 'clientId', 'kafka'].includes(key));
  if (unknown.length > 0) throw new ConfigError(`--command-config ${file} has unknown keys ${unknown.join(', ')}; allowed: ssl, sasl, clientId, kafka.`);
  return parsed as Pick<ResetOptions, 'ssl' | 'sasl' | 'clientId' | 'kafka'>;
}

async function readText(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${flag} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`, { cause: error });
  }
}

/** The `kstreams-reset` bin: runs {@link runResetCli} on `process.argv` and sets the exit code. */
export function runResetCliProcess(): Promise<void> {
  return runResetCli(process.argv.slice(2), {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
