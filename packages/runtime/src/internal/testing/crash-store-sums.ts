import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE_NAME, parseCheckpoint } from '@kstreams/changelog';
import { Serdes } from '@kstreams/core';
import { lmdbBackend } from '@kstreams/store-lmdb';
import { SUMS_STORE } from './running-sum-topology.js';

/** The per-key sums held in the instances' LMDB stores after a clean stop. */
export interface StoreSums {
  readonly sums: Map<string, number>;
  /** Tasks no state directory has a checkpoint for (their stores cannot be told current). */
  readonly uncheckpointedTasks: readonly string[];
}

/**
 * Reads the `sums` store of every task `0_<partition>` from the state directory holding its most
 * recent copy: several instances may keep a copy of a task that moved, and after a clean stop
 * the last owner's copy is the one with the highest changelog offset in its `.checkpoint`.
 * The instances must be stopped (the stores are opened here).
 */
export async function readStoreSums(stateDirs: readonly string[], applicationId: string, partitions: number): Promise<StoreSums> {
  const sums = new Map<string, number>();
  const uncheckpointedTasks: string[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const taskId = `0_${partition}`;
    const directory = await newestCopy(stateDirs.map((stateDir) => join(stateDir, applicationId, taskId)), `${applicationId}-${SUMS_STORE}-changelog`);
    if (directory === undefined) uncheckpointedTasks.push(taskId);
    else for (const [key, sum] of await readSums(directory, applicationId, taskId)) sums.set(key, sum);
  }
  return { sums, uncheckpointedTasks };
}

/** The task directory whose checkpoint has the highest offset of `changelog`; undefined when none has one. */
async function newestCopy(taskDirectories: readonly string[], changelog: string): Promise<string | undefined> {
  let newest: { directory: string; offset: number } | undefined;
  for (const directory of taskDirectories) {
    const text = await readFile(join(directory, CHECKPOINT_FILE_NAME), 'utf8').catch(() => undefined);
    const parsed = text === undefined ? undefined : parseCheckpoint(text);
    const offset = parsed?.ok === true ? parsed.entries.find((entry) => entry.topic === changelog)?.offset : undefined;
    if (offset !== undefined && (newest === undefined || offset > newest.offset)) newest = { directory, offset };
  }
  return newest?.directory;
}

async function readSums(directory: string, applicationId: string, taskId: string): Promise<Map<string, number>> {
  const serde = Serdes.int64Number();
  const store = lmdbBackend().openStore({ name: SUMS_STORE, directory, applicationId, taskId });
  const sums = new Map<string, number>();
  try {
    for (const { key, value } of store.range()) sums.set(Buffer.from(key).toString(), serde.deserialize(SUMS_STORE, value) ?? 0);
  } finally {
    await store.close();
  }
  return sums;
}
