import type { Logger, StateRestoreCallback } from '@kstreams/core';
import type { ChangelogReadResult, ChangelogRecord } from './changelog-partition-reader.js';
import type { StateRestoreListener } from './state-restore-listener.js';

type RestoreEntry = { key: Uint8Array; value: Uint8Array | null };

/**
 * Writes one read result into a store through its restore callback and returns how many
 * records it applied. Records without a key cannot belong to a store and are skipped.
 */
export function applyRecords(result: ChangelogReadResult, restoreCallback: StateRestoreCallback): number {
  const { records } = result;
  // The usual case, every record keyed: the records are the entries (no object per record).
  const entries = records.every((record) => record.key !== null) ? (records as readonly RestoreEntry[]) : keyedEntries(records);
  if (entries.length > 0) restoreCallback(entries);
  return entries.length;
}

function keyedEntries(records: readonly ChangelogRecord[]): RestoreEntry[] {
  const entries: RestoreEntry[] = [];
  for (const record of records) {
    if (record.key !== null) entries.push({ key: record.key, value: record.value });
  }
  return entries;
}

/** The offset of the last record of a read result, or `undefined` when it is empty. */
export function lastOffsetOf(records: readonly ChangelogRecord[]): number | undefined {
  return records.at(-1)?.offset;
}

type ListenerEvent = {
  [Name in keyof StateRestoreListener]-?: (listener: StateRestoreListener) => void;
}[keyof StateRestoreListener];

/** Calls a listener hook; a throwing listener is logged and never breaks the restore. */
export function notifyListener(listener: StateRestoreListener | undefined, logger: Logger, hook: keyof StateRestoreListener, call: ListenerEvent): void {
  if (listener?.[hook] === undefined) return;
  try {
    call(listener);
  } catch (error) {
    logger.warn(`State restore listener threw in ${hook}; restoration continues`, { error });
  }
}
