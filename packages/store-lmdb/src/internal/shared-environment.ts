import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StreamsError, TaskCorruptedError } from '@kstreams/core';
import { open, type Database, type RootDatabase } from 'lmdb';
import { StoreLockError } from '../store-lock-error.js';
import { checkDataFile } from './check-data-file.js';
import { PLAIN_BYTES_ENCODER, readKeysAsPlainBytes } from './plain-bytes-codec.js';
import { LOCK_FILE_NAME, StoreLock } from './store-lock.js';

/** What happens next, told in every corruption message (no operator step is needed). */
const RECOVERY = "The runtime wipes the task's state and restores it from the changelog.";

/** Sub-database holding, per store, the value of the empty key (LMDB rejects empty keys). */
export const META_DATABASE = '__kstreams_meta';
const BINARY = { keyEncoding: 'binary', encoding: 'binary', cache: false, compression: false } as const;
/** Store sub-databases: binary keys, values through the plain-bytes encoder (same bytes on disk). */
const STORE_DATABASE = { keyEncoding: 'binary', encoder: PLAIN_BYTES_ENCODER, cache: false, compression: false } as const;

/** Settings of the LMDB environments a backend opens. */
export interface EnvironmentSettings {
  readonly maxStoresPerDirectory: number;
}

/**
 * One LMDB environment (a directory) shared by a store and its segments, each a named
 * sub-database. Opened on first use, closed and unlocked when its last store closes.
 */
export class SharedEnvironment {
  static readonly #open = new Map<string, SharedEnvironment>();
  readonly path: string;
  readonly root: RootDatabase<Buffer, Buffer>;
  readonly meta: Database<Buffer, Buffer>;
  readonly #lock: StoreLock;
  readonly #stores = new Set<string>();

  private constructor(path: string, root: RootDatabase<Buffer, Buffer>, lock: StoreLock) {
    this.path = path;
    this.root = root;
    this.#lock = lock;
    this.meta = root.openDB<Buffer, Buffer>(META_DATABASE, BINARY);
  }

  /** Opens sub-database `storeName` in the environment at `path`, locking it on first use. */
  static openStore(path: string, storeName: string, settings: EnvironmentSettings): Database<Buffer, Buffer> {
    const environment = SharedEnvironment.#open.get(path) ?? SharedEnvironment.#create(path, storeName, settings);
    if (environment.#stores.has(storeName)) {
      throw new StoreLockError(
        `State store "${storeName}" at ${path} is already open in this process. Close it before opening it again.`,
      );
    }
    const database = corruptionGuard(storeName, path, () => environment.root.openDB<Buffer, Buffer>(storeName, STORE_DATABASE));
    readKeysAsPlainBytes(database);
    environment.#stores.add(storeName);
    return database;
  }

  /**
   * Names of the stores kept in the environment at `path`, opening it briefly (under its lock)
   * when none of its stores is open. Empty when the directory holds no LMDB data.
   */
  static listStoreNames(path: string, settings: EnvironmentSettings): string[] {
    const open = SharedEnvironment.#open.get(path);
    if (open !== undefined) return open.storeNames();
    if (!existsSync(join(path, 'data.mdb'))) return [];
    const environment = SharedEnvironment.#create(path, basename(path), settings);
    try {
      return environment.storeNames();
    } finally {
      SharedEnvironment.#open.delete(path);
      // lmdb-js closes at once when no write or read is outstanding, as here.
      void environment.root.close();
      environment.#lock.release();
    }
  }

  /** The environment at `path` while any of its stores is open. */
  static get(path: string): SharedEnvironment | undefined {
    return SharedEnvironment.#open.get(path);
  }

  static #create(path: string, storeName: string, settings: EnvironmentSettings): SharedEnvironment {
    mkdirSync(path, { recursive: true });
    const lock = StoreLock.acquire(join(path, LOCK_FILE_NAME), storeName);
    try {
      const damage = checkDataFile(join(path, 'data.mdb'));
      if (damage !== undefined) {
        throw new TaskCorruptedError(
          `State store "${storeName}" is corrupted: ${join(path, 'data.mdb')} ${damage}. ${RECOVERY}`,
        );
      }
      const root = corruptionGuard(storeName, path, () =>
        open<Buffer, Buffer>({ path, maxDbs: settings.maxStoresPerDirectory, overlappingSync: false, ...BINARY }),
      );
      const environment = corruptionGuard(storeName, path, () => new SharedEnvironment(path, root, lock));
      SharedEnvironment.#open.set(path, environment);
      return environment;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Names of the stores (sub-databases) kept in this environment, open or not. */
  storeNames(): string[] {
    const names: string[] = [];
    for (const key of this.root.getKeys()) {
      // lmdb-js stores sub-database names as C strings, with their terminating NUL.
      const name = Buffer.from(key as Uint8Array).toString('utf8').replace(/\0$/, '');
      if (name !== META_DATABASE) names.push(name);
    }
    return names;
  }

  /**
   * Marks `storeName` closed; the last store out closes the environment and releases the lock.
   * With `deleteWhenEmpty`, a directory that then holds no store at all is deleted.
   */
  async closeStore(storeName: string, options: { deleteWhenEmpty: boolean }): Promise<void> {
    this.#stores.delete(storeName);
    if (this.#stores.size > 0) return;
    const deleteDirectory = options.deleteWhenEmpty && this.storeNames().length === 0;
    SharedEnvironment.#open.delete(this.path);
    try {
      await this.root.close();
    } finally {
      this.#lock.release();
    }
    if (deleteDirectory) rmSync(this.path, { recursive: true, force: true });
  }
}

/** Runs an LMDB call, turning its failures into a {@link TaskCorruptedError} naming the store. */
export function corruptionGuard<T>(storeName: string, path: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (StreamsError.isInstance(error)) throw error;
    throw new TaskCorruptedError(
      `State store "${storeName}" at ${path} cannot be read: ${(error as Error).message}. ${RECOVERY}`,
      { cause: error },
    );
  }
}
