import { ConfigError } from '@kstreams/core';
import { parseDatetime, parseIsoDuration } from './iso-time.js';
import type { OffsetResetTarget } from './reset-options.js';

/** Usage text of `kstreams-reset`. */
export const RESET_USAGE = `Usage: kstreams-reset --application-id <id> [options]

Resets a kstreams application so it reprocesses its input. Stop every instance first.
  * resets the committed offsets of the input topics (to the earliest offset by default)
  * moves the committed offsets of intermediate topics to their ends
  * deletes the application's internal topics (<application-id>-...-changelog, -repartition)
  * does NOT delete output topics, and does NOT touch local state: call streams.cleanUp()
    on every instance before restarting it (or delete <stateDir>/<application-id>)
Run once with --dry-run to see what it would do.

Options:
  --application-id <id>          the application's applicationId (its consumer group)   (required)
  --bootstrap-server <list>      host:port[,host:port...] (also --bootstrap-servers)     (default localhost:9092)
  --input-topics <list>          comma-separated input topics whose offsets are reset
  --intermediate-topics <list>   comma-separated topics the application writes and reads: offsets to the end
  --internal-topics <list>       delete only these internal topics (a subset of the ones found)
  --to-earliest                  reset input offsets to the earliest offset (default)
  --to-latest                    reset input offsets to the end
  --to-datetime <datetime>       to the first record at or after YYYY-MM-DDThh:mm:ss.sss[Z|+hh:mm] (UTC without zone)
  --by-duration <duration>       to the first record at or after now minus PnDTnHnMnS, e.g. PT1H
  --to-offset <n>                to offset n on every input partition
  --shift-by <n>                 move the committed offsets by n (negative goes back)
  --from-file <file>             offsets from a CSV file of topic,partition,offset lines
  --command-config <file.json>   connection settings as JSON: { "ssl": ..., "sasl": ..., "clientId": ..., "kafka": ... }
  --dry-run                      print what would be done, change nothing
  --force                        remove the group's remaining members instead of refusing
  --help                         show this text`;

/** The reset-target flags, of which at most one may be given. */
const TARGET_FLAGS = ['--to-earliest', '--to-latest', '--to-datetime', '--by-duration', '--to-offset', '--shift-by', '--from-file'] as const;
const VALUE_FLAGS = new Set(['--application-id', '--bootstrap-server', '--bootstrap-servers', '--input-topics', '--intermediate-topics', '--internal-topics', '--to-datetime', '--by-duration', '--to-offset', '--shift-by', '--from-file', '--command-config']);
const SWITCHES = new Set(['--to-earliest', '--to-latest', '--dry-run', '--force', '--help', '-h']);

/** The offset target as the command line gives it: a `--from-file` plan is still a path. */
export type CliResetTarget = Exclude<OffsetResetTarget, { type: 'from-file' }> | { readonly type: 'from-file'; readonly file: string };

/** A parsed `kstreams-reset` command line. */
export type ResetCliCommand =
  | { readonly command: 'help' }
  | {
      readonly command: 'reset';
      readonly applicationId: string;
      readonly bootstrapServers: readonly string[];
      readonly inputTopics: readonly string[];
      readonly intermediateTopics: readonly string[];
      readonly internalTopics: readonly string[];
      readonly resetTo: CliResetTarget;
      readonly dryRun: boolean;
      readonly force: boolean;
      readonly commandConfig?: string;
    };

/** Parses the arguments after the program name; mistakes are `ConfigError`s naming the flag. */
export function parseResetArgs(args: readonly string[]): ResetCliCommand {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = (args[index] ?? '').split(/=(.*)/s, 2) as [string, string | undefined];
    if (SWITCHES.has(flag)) {
      if (inline !== undefined) throw new ConfigError(`${flag} takes no value (got "${inline}").`);
      switches.add(flag);
    } else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? args[++index];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`${flag} needs a value.`);
      values.set(flag, [...(values.get(flag) ?? []), value]);
    } else {
      throw new ConfigError(`Unknown option "${flag}". Run kstreams-reset --help for the options.`);
    }
  }
  if (switches.has('--help') || switches.has('-h')) return { command: 'help' };
  return buildCommand(values, switches);
}

function buildCommand(values: Map<string, string[]>, switches: Set<string>): ResetCliCommand {
  const applicationId = single(values, '--application-id');
  if (applicationId === undefined || applicationId.trim() === '') throw new ConfigError('--application-id is required: the applicationId of the application to reset.');
  const servers = [...(values.get('--bootstrap-server') ?? []), ...(values.get('--bootstrap-servers') ?? [])];
  const commandConfig = single(values, '--command-config');
  return {
    command: 'reset',
    applicationId: applicationId.trim(),
    bootstrapServers: servers.length === 0 ? ['localhost:9092'] : servers.flatMap((list) => splitList('--bootstrap-server', list)),
    inputTopics: topicList(values, '--input-topics'),
    intermediateTopics: topicList(values, '--intermediate-topics'),
    internalTopics: topicList(values, '--internal-topics'),
    resetTo: parseTarget(values, switches),
    dryRun: switches.has('--dry-run'),
    force: switches.has('--force'),
    ...(commandConfig === undefined ? {} : { commandConfig }),
  };
}

function parseTarget(values: Map<string, string[]>, switches: Set<string>): CliResetTarget {
  const given = TARGET_FLAGS.filter((flag) => switches.has(flag) || values.has(flag));
  if (given.length > 1) throw new ConfigError(`${given.join(' and ')} cannot be combined: choose one of ${TARGET_FLAGS.join(', ')}.`);
  const flag = given[0] ?? '--to-earliest';
  const value = single(values, flag) ?? '';
  switch (flag) {
    case '--to-earliest':
      return { type: 'to-earliest' };
    case '--to-latest':
      return { type: 'to-latest' };
    case '--to-datetime':
      return { type: 'to-datetime', timestamp: parseDatetime(value, flag) };
    case '--by-duration':
      return { type: 'by-duration', durationMs: parseIsoDuration(value, flag) };
    case '--to-offset':
      return { type: 'to-offset', offset: parseInteger(flag, value, 0) };
    case '--shift-by':
      return { type: 'shift-by', shift: parseInteger(flag, value) };
    case '--from-file':
      return { type: 'from-file', file: value };
  }
}

function single(values: Map<string, string[]>, flag: string): string | undefined {
  const list = values.get(flag);
  if (list !== undefined && list.length > 1) throw new ConfigError(`${flag} is given ${list.length} times; give it once.`);
  return list?.[0];
}

function topicList(values: Map<string, string[]>, flag: string): string[] {
  return [...new Set((values.get(flag) ?? []).flatMap((list) => splitList(flag, list)))];
}

function splitList(flag: string, list: string): string[] {
  const entries = list.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new ConfigError(`${flag} "${list}" has an empty entry. Separate names with single commas, e.g. a,b.`);
  return entries;
}

function parseInteger(flag: string, text: string, min?: number): number {
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new ConfigError(`${flag} needs ${min === undefined ? 'an integer' : `an integer of at least ${min}`}, not "${text}".`);
  }
  return value;
}
