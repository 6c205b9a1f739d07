import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type StoreBackend, type StoreLocation } from '@kstreams/core';
import { SharedEnvironment, type EnvironmentSettings } from './internal/shared-environment.js';
import { LmdbBytesStore } from './lmdb-bytes-store.js';

/** Options of {@link lmdbBackend}; the defaults suit most applications. */
export interface LmdbBackendOptions {
  /**
   * Pending writes (puts and deletes) a store buffers before committing them without waiting
   * for `flush()`. Default 65,536.
   */
  maxPendingEntries?: number;
  /** Bytes of pending writes a store buffers before committing them early. Default 64 MiB. */
  maxPendingBytes?: number;
  /**
   * Sub-databases per store directory: a window or session store keeps one per segment.
   * Default 1,000.
   */
  maxStoresPerDirectory?: number;
}

/** LMDB's data file inside a store directory. */
const DATA_FILE_NAME = 'data.mdb';

/** A window or session store segment: `<store>.<segmentId>`. */
const SEGMENT_NAME = /^(.+)\.(-?\d+)$/;

/**
 * The persistent LMDB store backend. Each store lives in `<stateDir>/<applicationId>/<taskId>/<store>`
 * (an LMDB environment); the segments `<store>.<segmentId>` of a window or session store are
 * sub-databases of the `<store>` environment, so opening and dropping one is cheap.
 *
 * @example
 * ```ts
 * import { lmdbBackend } from '@kstreams/store-lmdb';
 *
 * const backend = lmdbBackend();
 * const store = backend.openStore({ name: 'counts', directory: '/var/lib/app/my-app/0_1', applicationId: 'my-app', taskId: '0_1' });
 * store.put(Buffer.from('key'), Buffer.from('value'));
 * store.flush(); // durable from here on
 * await store.close();
 * ```
 */
export function lmdbBackend(options: LmdbBackendOptions = {}): StoreBackend {
  const settings = {
    maxPendingEntries: positive(options.maxPendingEntries, 'maxPendingEntries') ?? 65_536,
    maxPendingBytes: positive(options.maxPendingBytes, 'maxPendingBytes') ?? 64 * 1024 * 1024,
    maxStoresPerDirectory: positive(options.maxStoresPerDirectory, 'maxStoresPerDirectory') ?? 1_000,
  };
  return {
    kind: 'lmdb',
    persistent: true,
    openStore(location: StoreLocation): LmdbBytesStore {
      return new LmdbBytesStore(location.name, storeDirectory(location), settings);
    },
    listStores(location: StoreLocation, prefix: string): string[] {
      return listStoresWithPrefix(taskDirectoryOf(location), prefix, settings);
    },
    hasStoredData(location: StoreLocation): boolean {
      return existsSync(join(storeDirectory(location), DATA_FILE_NAME));
    },
  };
}

/** The LMDB environment directory of a store or segment. */
export function storeDirectory(location: StoreLocation): string {
  const segment = SEGMENT_NAME.exec(location.name);
  return join(taskDirectoryOf(location), segment?.[1] ?? location.name);
}

function taskDirectoryOf(location: StoreLocation): string {
  if (location.directory === undefined) {
    throw new ConfigError(
      `State store "${location.name}" of task ${location.taskId} needs a state directory: the lmdb backend is persistent. ` +
        'Set the application\'s stateDir, or use inMemoryBackend() for this store.',
      { taskId: location.taskId },
    );
  }
  return location.directory;
}

/**
 * Stores in the task directory whose names start with `prefix`: those in every store directory
 * that could hold them (a directory named like the prefix, or a prefix of it, for segments).
 */
function listStoresWithPrefix(taskDirectory: string, prefix: string, settings: EnvironmentSettings): string[] {
  if (!existsSync(taskDirectory)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(taskDirectory, { withFileTypes: true })) {
    if (!entry.isDirectory() || !(entry.name.startsWith(prefix) || prefix.startsWith(entry.name))) continue;
    for (const name of SharedEnvironment.listStoreNames(join(taskDirectory, entry.name), settings)) {
      if (name.startsWith(prefix)) names.push(name);
    }
  }
  return names.sort();
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`lmdbBackend option ${name} must be a positive number, got ${value}.`);
  }
  return value;
}
