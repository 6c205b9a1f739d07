import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatCheckpoint, parseCheckpoint, type CheckpointEntry } from './checkpoint-format.js';
import { CorruptedCheckpointError } from './corrupted-checkpoint-error.js';

/** The checkpoint file name inside a task directory. */
export const CHECKPOINT_FILE_NAME = '.checkpoint';

const TEMPORARY_SUFFIX = '.tmp';

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open directories, which is harmless.
  const handle = await open(directory, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * The `<taskDir>/.checkpoint` file: the changelog offsets the task's local stores reflect,
 * in Kafka Streams' `OffsetCheckpoint` text format. Writes are atomic: the text goes to a
 * temporary file that is fsynced and then renamed over the checkpoint, so a crash leaves
 * either the old or the new checkpoint, never a torn one (a stray temporary file is ignored).
 *
 * @example
 * const checkpoint = OffsetCheckpointFile.inTaskDirectory(taskDirectory);
 * await checkpoint.write([{ topic: 'app-counts-changelog', partition: 3, offset: 41 }]);
 * const entries = await checkpoint.read(); // undefined when there is no checkpoint
 */
export class OffsetCheckpointFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The checkpoint of the task whose state directory is `taskDirectory`. */
  static inTaskDirectory(taskDirectory: string): OffsetCheckpointFile {
    return new OffsetCheckpointFile(join(taskDirectory, CHECKPOINT_FILE_NAME));
  }

  /** Atomically replaces the checkpoint with `entries`. */
  async write(entries: readonly CheckpointEntry[]): Promise<void> {
    const temporaryPath = this.path + TEMPORARY_SUFFIX;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(temporaryPath, 'w');
    try {
      await handle.writeFile(formatCheckpoint(entries), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, this.path);
    await syncDirectory(dirname(this.path));
  }

  /**
   * The checkpointed entries, or `undefined` when there is no checkpoint file.
   * Rejects with {@link CorruptedCheckpointError} when the file cannot be parsed.
   */
  async read(): Promise<CheckpointEntry[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
    const parsed = parseCheckpoint(text);
    if (!parsed.ok) throw new CorruptedCheckpointError(this.path, parsed.reason);
    return parsed.entries;
  }

  /** Removes the checkpoint (and any temporary file); done before a task wipes its stores. */
  async delete(): Promise<void> {
    await rm(this.path, { force: true });
    await rm(this.path + TEMPORARY_SUFFIX, { force: true });
  }
}
