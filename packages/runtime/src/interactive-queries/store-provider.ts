import { InvalidStateStoreError, type StateStore, type StoreBuilder } from '@kstreams/core';
import type { KafkaStreamsState } from '../kafka-streams-state.js';
import type { TaskLifecycleState } from '../task.js';
import { InvalidStateStorePartitionError, StateStoreMigratedError, StateStoreNotAvailableError, StreamsNotStartedError } from './invalid-state-store-errors.js';
import { kindOfStore, type QueryableStoreKind, type StoreQueryParameters } from './queryable-store-types.js';

/** A task as queries see it: its id, partition, state and stores. */
export interface QueryableTask {
  readonly id: string;
  readonly partition: number;
  readonly state: TaskLifecycleState;
  getStore(name: string): StateStore | undefined;
}

/** A stream thread as queries see it (its state is one of `StreamThreadState`). */
export interface QueryableThread {
  readonly name: string;
  readonly state: string;
  readonly activeTasks: readonly QueryableTask[];
  readonly standbyTasks: readonly QueryableTask[];
}

/** What the store provider reads of a KafkaStreams instance, at every call. */
export interface LocalStoresSource {
  state(): KafkaStreamsState;
  threads(): readonly QueryableThread[];
  globalStore(name: string): StateStore | undefined;
  builderOf(name: string): StoreBuilder<StateStore> | undefined;
}

/**
 * Finds the stores one query reads, anew at every call (Java's `WrappingStoreProvider` over
 * each thread's `StreamThreadStateStoreProvider`): the global store of that name, or the
 * same-named store of every local task (active tasks of RUNNING threads; with
 * `staleStoresEnabled` also restoring and standby tasks of threads in any live state).
 *
 * @throws StreamsNotStartedError before `start()`.
 * @throws StateStoreNotAvailableError once the instance shuts down or failed.
 * @throws StateStoreMigratedError while a thread rebalances or restores, or when no local task holds the store.
 * @throws InvalidStateStorePartitionError when the requested partition is not local.
 * @throws InvalidStateStoreError when a store is not of the requested type.
 */
export function localStores<T>(source: LocalStoresSource, parameters: StoreQueryParameters<T>): T[] {
  const { storeName, type } = parameters;
  checkInstanceState(storeName, source.state());
  const global = source.globalStore(storeName);
  if (global !== undefined) return [checkedView(source, parameters, global, undefined)];
  const stores: T[] = [];
  const localPartitions: number[] = [];
  for (const thread of source.threads()) {
    if (thread.state === 'DEAD') continue;
    checkThreadState(storeName, thread, parameters.staleStoresEnabled === true);
    const tasks = parameters.staleStoresEnabled === true ? [...thread.activeTasks, ...thread.standbyTasks] : thread.activeTasks;
    for (const task of tasks) {
      if (task.state !== 'RUNNING' && task.state !== 'RESTORING') continue;
      const store = task.getStore(storeName);
      if (store === undefined) continue;
      localPartitions.push(task.partition);
      if (parameters.partition !== undefined && task.partition !== parameters.partition) continue;
      stores.push(checkedView(source, parameters, store, task.id));
    }
  }
  if (stores.length > 0) return stores;
  if (parameters.partition !== undefined) throw new InvalidStateStorePartitionError(storeName, parameters.partition, [...new Set(localPartitions)].sort((a, b) => a - b));
  throw new StateStoreMigratedError(`State store "${storeName}" has no queryable copy on this instance now: its tasks run on other instances or are moving. Find the instance that holds a key with queryMetadataForKey() (or allMetadataForStore()), or retry after the rebalance.`);
}

function checkInstanceState(storeName: string, state: KafkaStreamsState): void {
  if (state === 'CREATED') throw new StreamsNotStartedError(`query state store "${storeName}"`);
  if (state !== 'RUNNING' && state !== 'REBALANCING') throw new StateStoreNotAvailableError(storeName, state);
}

function checkThreadState(storeName: string, thread: QueryableThread, stale: boolean): void {
  if (stale ? thread.state !== 'PENDING_SHUTDOWN' : thread.state === 'RUNNING') return;
  const hint = stale ? '' : ' Pass staleStoresEnabled: true to read restoring and standby copies meanwhile.';
  throw new StateStoreMigratedError(`State store "${storeName}" cannot be queried now: stream thread ${thread.name} is ${thread.state}, not RUNNING (the instance is rebalancing or restoring). Retry once the instance is RUNNING.${hint}`);
}

function checkedView<T>(source: LocalStoresSource, parameters: StoreQueryParameters<T>, store: StateStore, taskId: string | undefined): T {
  const where = taskId === undefined ? 'global store' : `task ${taskId}`;
  if (!store.isOpen()) {
    throw new StateStoreMigratedError(`State store "${parameters.storeName}" of ${where} is closed: it may have moved to another instance. Retry, or find its host with queryMetadataForKey().`, taskId === undefined ? {} : { taskId });
  }
  const kind = kindOfStore(store, source.builderOf(parameters.storeName));
  checkKind(parameters.storeName, parameters.type, kind);
  return parameters.type.view(store, kind);
}

/** Throws when a store of `kind` cannot be read through `type`. */
export function checkKind(storeName: string, type: StoreQueryParameters<unknown>['type'], kind: QueryableStoreKind): void {
  if (kind === 'unknown' || type.accepts(kind)) return;
  const fix = kind === 'versioned' ? 'Versioned stores cannot be queried through store() yet.' : `Use QueryableStoreTypes.${suggestedType(kind)}().`;
  throw new InvalidStateStoreError(`State store "${storeName}" is a ${describeKind(kind)} store and cannot be queried as a ${type.name}. ${fix}`);
}

function describeKind(kind: QueryableStoreKind): string {
  return { keyValue: 'key-value', timestampedKeyValue: 'timestamped key-value', window: 'window', session: 'session', versioned: 'versioned key-value', unknown: 'custom' }[kind];
}

function suggestedType(kind: QueryableStoreKind): string {
  return { keyValue: 'keyValueStore', timestampedKeyValue: 'timestampedKeyValueStore', window: 'windowStore', session: 'sessionStore', versioned: 'keyValueStore', unknown: 'keyValueStore' }[kind];
}

/**
 * Runs one read of a task's store; when the store closed under it (its task moved), throws
 * a retriable {@link StateStoreMigratedError} (as Java's composite stores do).
 */
export function rethrowAsMigrated<R>(storeName: string, read: () => R): R {
  try {
    return read();
  } catch (error) {
    if (!InvalidStateStoreError.isInstance(error) || StateStoreMigratedError.isInstance(error)) throw error;
    throw new StateStoreMigratedError(`State store "${storeName}" is not available any more and may have moved to another instance. Find its host again with queryMetadataForKey() and retry.`, { cause: error });
  }
}
