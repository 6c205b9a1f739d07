/**
 * @kstreams/changelog: restoring state stores from their changelog topics. Checkpoint files,
 * the store changelog reader (restore with progress and suspension), restore listeners and
 * standby tailing, all behind a small group-less reader port that the runtime implements.
 */
export {
  changelogPartitionKey,
  type ChangelogPartition,
  type ChangelogPartitionReader,
  type ChangelogReadOptions,
  type ChangelogReadResult,
  type ChangelogRecord,
} from './changelog-partition-reader.js';
export { ChangelogTruncatedError } from './changelog-truncated-error.js';
export {
  checkCheckpointedStoresHaveData,
  checkpointedStoresWithoutData,
  type CheckpointedStoresCheck,
  type TaskStoreSpec,
} from './checkpointed-stores-without-data.js';
export { CHECKPOINT_VERSION, formatCheckpoint, parseCheckpoint, type CheckpointEntry, type ParsedCheckpoint } from './checkpoint-format.js';
export { CorruptedCheckpointError } from './corrupted-checkpoint-error.js';
export { loadTaskCheckpoints, type TaskCheckpoints } from './load-task-checkpoints.js';
export type { LoggedStore } from './logged-store.js';
export { CHECKPOINT_FILE_NAME, OffsetCheckpointFile } from './offset-checkpoint-file.js';
export { RestoreProgressLog, type RestoreProgressLogOptions, type StoreRestoreProgress } from './restore-progress.js';
export { StandbyUpdater, type StandbyUpdaterOptions } from './standby-updater.js';
export type { StateRestoreListener } from './state-restore-listener.js';
export { StoreChangelogReader, type RestoreOutcome, type RestoreSliceOptions, type StoreChangelogReaderOptions } from './store-changelog-reader.js';
export { InMemoryChangelog } from './testing/in-memory-changelog.js';
