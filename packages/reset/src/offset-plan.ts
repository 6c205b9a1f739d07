import { ConfigError } from '@kstreams/core';
import type { TopicPartitionOffset } from '@kstreams/runtime';
import type { OffsetResetTarget } from './reset-options.js';

/** What the cluster says about one partition, read before planning. */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** The log start offset. */
  readonly beginning: number;
  /** The log end offset (the next offset to be written). */
  readonly end: number;
  /** The group's committed offset; -1 when it has none. */
  readonly committed: number;
  /**
   * For `to-datetime` and `by-duration`: the first offset whose timestamp is at or after the
   * target time; -1, absent or the end offset when no record is that recent.
   */
  readonly timestampOffset?: number;
}

/** The offset a partition will be committed at, with the one it replaces. */
export interface PlannedOffset extends TopicPartitionOffset {
  /** The committed offset before the reset; -1 when there was none. */
  readonly previous: number;
  /** Why the offset is not the one asked for (clamped, fallen back to the end), if it is not. */
  readonly note?: string;
}

/** Plans the input partitions' new offsets; pure, so dry runs and tests see the same plan. */
export function planInputOffsets(target: OffsetResetTarget, partitions: readonly PartitionOffsets[]): PlannedOffset[] {
  const fileOffsets = target.type === 'from-file' ? new Map(target.offsets.map((entry) => [partitionKey(entry), entry.offset])) : undefined;
  return partitions.map((partition) => planPartition(target, partition, fileOffsets));
}

/** Intermediate topics: every partition to its end. */
export function planSeekToEnd(partitions: readonly PartitionOffsets[]): PlannedOffset[] {
  return partitions.map(({ topic, partition, end, committed }) => ({ topic, partition, offset: end, previous: committed }));
}

function planPartition(target: OffsetResetTarget, state: PartitionOffsets, fileOffsets: Map<string, number> | undefined): PlannedOffset {
  const base = { topic: state.topic, partition: state.partition, previous: state.committed };
  switch (target.type) {
    case 'to-earliest':
      return { ...base, offset: state.beginning };
    case 'to-latest':
      return { ...base, offset: state.end };
    case 'to-datetime':
    case 'by-duration':
      return timestampOffset(state, base);
    case 'to-offset':
      return clamped(target.offset, state, base);
    case 'shift-by':
      return shifted(target.shift, state, base);
    case 'from-file':
      return clamped(fileOffset(state, fileOffsets), state, base);
  }
}

function timestampOffset(state: PartitionOffsets, base: Omit<PlannedOffset, 'offset'>): PlannedOffset {
  const found = state.timestampOffset ?? -1;
  if (found >= 0 && found < state.end) return { ...base, offset: Math.max(found, state.beginning) };
  return { ...base, offset: state.end, note: 'no record at or after that time: set to the end' };
}

function shifted(shift: number, state: PartitionOffsets, base: Omit<PlannedOffset, 'offset'>): PlannedOffset {
  // A consumer without a committed offset starts at the end (auto.offset.reset=latest), as in Java's tool.
  const from = state.committed >= 0 ? state.committed : state.end;
  const planned = clamped(from + shift, state, base);
  return state.committed >= 0 ? planned : { ...planned, note: joinNotes('no committed offset: shifted from the end', planned.note) };
}

function fileOffset(state: PartitionOffsets, fileOffsets: Map<string, number> | undefined): number {
  const offset = fileOffsets?.get(partitionKey(state));
  if (offset === undefined) {
    throw new ConfigError(`--from-file has no line for partition ${state.partition} of input topic "${state.topic}". Add "${state.topic},${state.partition},<offset>" to the file.`);
  }
  return offset;
}

/** Java's range check: below the log start goes to the start, at or past the end to the end. */
function clamped(offset: number, state: PartitionOffsets, base: Omit<PlannedOffset, 'offset'>): PlannedOffset {
  if (offset >= state.end) {
    return offset === state.end ? { ...base, offset } : { ...base, offset: state.end, note: `${offset} is past the end: set to the end` };
  }
  if (offset < state.beginning) return { ...base, offset: state.beginning, note: `${offset} is before the log start: set to the log start` };
  return { ...base, offset };
}

function joinNotes(first: string, second: string | undefined): string {
  return second === undefined ? first : `${first}; ${second}`;
}

function partitionKey(entry: { readonly topic: string; readonly partition: number }): string {
  return `${entry.topic}\u0000${entry.partition}`;
}
