import type { StateRestoreCallback } from '@kstreams/core';
import type { ChangelogPartition } from './changelog-partition-reader.js';

/**
 * A logged store of a task as restore sees it: its changelog partition and the restore
 * callback the store handed to `StateStoreContext.register`.
 */
export interface LoggedStore {
  readonly storeName: string;
  readonly changelog: ChangelogPartition;
  readonly restoreCallback: StateRestoreCallback;
}
