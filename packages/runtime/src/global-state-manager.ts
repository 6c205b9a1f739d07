import { join } from 'node:path';
import { OffsetCheckpointFile, changelogPartitionKey, type CheckpointEntry } from '@kstreams/changelog';
import type { GlobalStateTask, Logger } from '@kstreams/core';

/** Where a {@link GlobalStateManager} keeps its checkpoint. */
export interface GlobalStateManagerOptions {
  readonly stateDir: string;
  readonly applicationId: string;
  readonly logger: Logger;
}

/**
 * The checkpoint of an instance's global stores (Java's `GlobalStateManagerImpl`):
 * `<stateDir>/<applicationId>/global/.checkpoint` holds, per partition of every global topic,
 * the next offset the stores reflect, written after each flush. A checkpoint is only trusted
 * when every global store is persistent: in-memory stores come back empty, so they are rebuilt
 * from the topics' beginning.
 */
export class GlobalStateManager {
  readonly directory: string;
  readonly #file: OffsetCheckpointFile;
  readonly #logger: Logger;

  constructor(options: GlobalStateManagerOptions) {
    this.directory = join(options.stateDir, options.applicationId, 'global');
    this.#file = OffsetCheckpointFile.inTaskDirectory(this.directory);
    this.#logger = options.logger;
  }

  /** The checkpointed next offset per `<topic>-<partition>`; empty when there is none to trust. */
  async load(task: GlobalStateTask): Promise<Map<string, number>> {
    const offsets = new Map<string, number>();
    const stores = [...task.stores().values()];
    if (stores.length === 0 || stores.some((store) => !store.persistent)) return offsets;
    let entries: CheckpointEntry[] | undefined;
    try {
      entries = await this.#file.read();
    } catch (error) {
      this.#logger.warn(`The global checkpoint ${this.#file.path} is unreadable; rebuilding the global stores from the topics' beginning.`, { error });
      return offsets;
    }
    for (const entry of entries ?? []) offsets.set(changelogPartitionKey(entry), entry.offset);
    return offsets;
  }

  /** Flushes the global stores and writes their next offsets as the checkpoint. */
  async checkpoint(task: GlobalStateTask): Promise<void> {
    const offsets = await task.flush();
    if (offsets.length === 0) return;
    await this.#file.write(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
  }
}
