import { TaskCorruptedError, type StoreBackend } from '@kstreams/core';
import { changelogPartitionKey, type ChangelogPartition } from './changelog-partition-reader.js';

/** A logged store of a task, as the runtime knows it before opening it. */
export interface TaskStoreSpec {
  readonly storeName: string;
  readonly changelog: ChangelogPartition;
  /** Without one (or one without `hasStoredData`), the store is not checked. */
  readonly backend?: StoreBackend;
}

/** What {@link checkpointedStoresWithoutData} looks at. */
export interface CheckpointedStoresCheck {
  readonly taskId: string;
  /** `<stateDir>/<applicationId>/<taskId>`. */
  readonly taskDirectory: string;
  readonly applicationId: string;
  /** The task's checkpointed offsets by `changelogPartitionKey` (as `loadTaskCheckpoints` returns them). */
  readonly checkpoints: ReadonlyMap<string, number>;
  readonly stores: readonly TaskStoreSpec[];
}

/**
 * The stores the task's checkpoint names but whose data is gone from disk (deleted by hand, or
 * lost): restoring them from the checkpointed offset would leave out everything before it, so
 * they must restore from the changelog's start. Call before the task's stores open (opening
 * creates an empty store). Only backends that implement `hasStoredData` are checked; in-memory
 * stores are never checkpointed.
 */
export function checkpointedStoresWithoutData(check: CheckpointedStoresCheck): TaskStoreSpec[] {
  return check.stores.filter((store) => {
    if (!check.checkpoints.has(changelogPartitionKey(store.changelog))) return false;
    const location = { name: store.storeName, directory: check.taskDirectory, applicationId: check.applicationId, taskId: check.taskId };
    return store.backend?.hasStoredData?.(location) === false;
  });
}

/**
 * Throws a {@link TaskCorruptedError} (carrying the task id) naming each checkpointed store that
 * has no data; the runtime reacts as to any corrupted task: it wipes the task's state and
 * restores it from the changelog's start.
 */
export function checkCheckpointedStoresHaveData(check: CheckpointedStoresCheck): void {
  const missing = checkpointedStoresWithoutData(check);
  if (missing.length === 0) return;
  const described = missing.map((store) => {
    const offset = check.checkpoints.get(changelogPartitionKey(store.changelog));
    return `"${store.storeName}" (checkpointed at offset ${offset} of ${changelogPartitionKey(store.changelog)})`;
  });
  throw new TaskCorruptedError(
    `Task ${check.taskId}: the ${missing.length === 1 ? 'store' : 'stores'} ${described.join(', ')} in ${check.taskDirectory} ` +
      `${missing.length === 1 ? 'has' : 'have'} no data on disk although the checkpoint names ${missing.length === 1 ? 'it' : 'them'}. ` +
      'The runtime wipes the task and restores it from the changelog.',
    { taskId: check.taskId },
  );
}
