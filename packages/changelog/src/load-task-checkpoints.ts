import { changelogPartitionKey } from './changelog-partition-reader.js';
import { CorruptedCheckpointError } from './corrupted-checkpoint-error.js';
import type { OffsetCheckpointFile } from './offset-checkpoint-file.js';

/** What a task found in its checkpoint file, and whether it must wipe its stores first. */
export interface TaskCheckpoints {
  /** Checkpointed offsets by `changelogPartitionKey` (empty when the stores must be wiped). */
  readonly checkpoints: Map<string, number>;
  /** True when the local stores cannot be trusted and must be wiped before restoring. */
  readonly wipeStores: boolean;
  /** Why the stores are wiped, for the log. */
  readonly reason: 'checkpoint-loaded' | 'no-checkpoint' | 'no-checkpoint-under-exactly-once' | 'corrupted-checkpoint';
}

/**
 * Loads a task's checkpoint when it starts, deciding as Kafka Streams does:
 * - a valid checkpoint: restore only the tail after it;
 * - no checkpoint: restore from the beginning; under exactly-once the stores may hold writes of
 *   an unfinished transaction, so they are wiped first;
 * - a corrupted checkpoint: its offsets cannot be trusted; wipe and restore everything.
 *
 * Under exactly-once the file is deleted once loaded (rewritten at the next clean commit), so a
 * crash while processing leaves no checkpoint behind and the next start wipes the stores.
 */
export async function loadTaskCheckpoints(file: OffsetCheckpointFile, options: { readonly exactlyOnce: boolean }): Promise<TaskCheckpoints> {
  let entries;
  try {
    entries = await file.read();
  } catch (error) {
    if (!(error instanceof CorruptedCheckpointError)) throw error;
    await file.delete();
    return { checkpoints: new Map(), wipeStores: true, reason: 'corrupted-checkpoint' };
  }
  if (entries === undefined) {
    return options.exactlyOnce
      ? { checkpoints: new Map(), wipeStores: true, reason: 'no-checkpoint-under-exactly-once' }
      : { checkpoints: new Map(), wipeStores: false, reason: 'no-checkpoint' };
  }
  if (options.exactlyOnce) await file.delete();
  return { checkpoints: new Map(entries.map((entry) => [changelogPartitionKey(entry), entry.offset])), wipeStores: false, reason: 'checkpoint-loaded' };
}
