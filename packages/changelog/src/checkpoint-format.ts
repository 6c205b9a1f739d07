import type { ChangelogPartition } from './changelog-partition-reader.js';

/** The only checkpoint format version, as Kafka Streams' `OffsetCheckpoint` writes it. */
export const CHECKPOINT_VERSION = 0;

/** One line of a checkpoint: the changelog offset a local store reflects. */
export interface CheckpointEntry extends ChangelogPartition {
  readonly offset: number;
}

/** The result of {@link parseCheckpoint}: entries, or why the text is not a checkpoint. */
export type ParsedCheckpoint = { readonly ok: true; readonly entries: CheckpointEntry[] } | { readonly ok: false; readonly reason: string };

/**
 * Renders checkpoint text: a version line, an entry count line, then one
 * `<topic> <partition> <offset>` line per entry, sorted so equal offsets give equal files.
 */
export function formatCheckpoint(entries: readonly CheckpointEntry[]): string {
  const lines = [...entries]
    .sort((left, right) => left.topic.localeCompare(right.topic) || left.partition - right.partition)
    .map((entry) => `${entry.topic} ${entry.partition} ${entry.offset}`);
  return [String(CHECKPOINT_VERSION), String(lines.length), ...lines].join('\n') + '\n';
}

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function parseEntry(line: string): CheckpointEntry | undefined {
  const parts = line.split(' ');
  if (parts.length !== 3) return undefined;
  const [topic, partitionText, offsetText] = parts;
  const partition = parseInteger(partitionText);
  const offset = parseInteger(offsetText);
  if (topic === undefined || topic === '' || partition === undefined || partition < 0 || offset === undefined) return undefined;
  return { topic, partition, offset };
}

/**
 * Parses checkpoint text; anything unexpected makes the whole file invalid. Unlike Kafka Streams,
 * which drops an entry with a negative offset and restores that store from the changelog's start
 * into its existing data, a negative offset counts as corruption too: kstreams never writes one,
 * and restoring into a store that may hold keys whose tombstones were compacted away would keep
 * them. A corrupted checkpoint makes the task wipe its stores and restore them whole.
 */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const version = parseInteger(lines[0]);
  if (version !== CHECKPOINT_VERSION) return { ok: false, reason: `unknown version line "${lines[0] ?? ''}" (expected ${CHECKPOINT_VERSION})` };
  const count = parseInteger(lines[1]);
  if (count === undefined || count < 0) return { ok: false, reason: `invalid entry count line "${lines[1] ?? ''}"` };
  const entryLines = lines.slice(2);
  if (entryLines.length !== count) return { ok: false, reason: `expected ${count} entries but found ${entryLines.length}` };
  const entries: CheckpointEntry[] = [];
  for (const [index, line] of entryLines.entries()) {
    const entry = parseEntry(line);
    if (entry === undefined) return { ok: false, reason: `malformed entry on line ${index + 3}: "${line}"` };
    if (entry.offset < 0) return { ok: false, reason: `negative offset ${entry.offset} on line ${index + 3}` };
    entries.push(entry);
  }
  // formatCheckpoint ends every file with a newline: without it, the last offset may be cut short.
  if (!text.endsWith('\n')) return { ok: false, reason: 'the file does not end with a newline (it was cut short)' };
  return { ok: true, entries };
}
