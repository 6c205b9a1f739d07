import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangelogPartition } from '@kstreams/changelog';
import { StreamsError, type StateRestoreCallback, type StateStore, type StoreBackend, type TopologyModel } from '@kstreams/core';
import { changelogTopicName } from './internal-topics.js';

/** `<stateDir>/<applicationId>/<taskId>`: where a task's stores and `.checkpoint` live (as the task engine lays them out). */
export function taskDirectory(stateDir: string, applicationId: string, taskId: string): string {
  return join(stateDir, applicationId, taskId);
}

/** Deletes a task's local state (stores and checkpoint); only while none of its stores is open. */
export async function wipeTaskDirectory(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** A logged store of a sub-topology and its changelog partition for one task. */
export interface LoggedStoreSpec {
  readonly storeName: string;
  readonly changelog: ChangelogPartition;
  /** The store's backend: asked whether a checkpointed store still has its data. */
  readonly backend?: StoreBackend;
}

/** The logged (changelog-backed) stores of a task's sub-topology. */
export function loggedStoresOf(model: TopologyModel, subtopologyId: number, partition: number, applicationId: string): LoggedStoreSpec[] {
  const subtopology = model.subtopologies.find((candidate) => candidate.id === subtopologyId);
  return (subtopology?.stores ?? []).flatMap((storeName) => {
    const store = model.stores.get(storeName);
    if (store === undefined || store.global || !store.builder.loggingEnabled) return [];
    return [{ storeName, changelog: { topic: changelogTopicName(applicationId, storeName), partition }, backend: store.builder.backend }];
  });
}

/** Sub-topology ids with at least one logged store: the ones whose tasks restore and get standbys. */
export function statefulSubtopologies(model: TopologyModel): number[] {
  return model.subtopologies.filter((subtopology) => loggedStoresOf(model, subtopology.id, 0, '').length > 0).map((subtopology) => subtopology.id);
}

/**
 * The stores of one task as they register with its state manager (through the
 * `onRegister` hook), so restore can write into them. A task that is rebuilt (wiped) registers
 * again into the same registry.
 */
export class StoreRegistry {
  readonly #callbacks = new Map<string, StateRestoreCallback>();
  readonly #persistent = new Map<string, boolean>();

  register(store: StateStore, restoreCallback: StateRestoreCallback): void {
    this.#callbacks.set(store.name, restoreCallback);
    this.#persistent.set(store.name, store.persistent);
  }

  has(storeName: string): boolean {
    return this.#callbacks.has(storeName);
  }

  /** Whether the store keeps its data on disk (only those checkpoint: memory is empty after a restart). */
  isPersistent(storeName: string): boolean {
    return this.#persistent.get(storeName) ?? false;
  }

  /** A restore callback that always writes into the store registered last under this name. */
  restoreCallback(storeName: string): StateRestoreCallback {
    return (records) => {
      const callback = this.#callbacks.get(storeName);
      if (callback === undefined) throw new StreamsError(`Store "${storeName}" received restored records before it registered. Stores must call context.register() in init().`);
      callback(records);
    };
  }
}
