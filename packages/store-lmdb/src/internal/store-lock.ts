import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { StoreLockError } from '../store-lock-error.js';

/** The lock file inside each LMDB store directory; LMDB's own lock allows shared access. */
export const LOCK_FILE_NAME = 'kstreams.lock';

/**
 * An exclusive, process-level lock on one store directory: a file created with `wx` that holds
 * the owner's pid. A lock whose pid no longer runs (the owner crashed) is stale and taken over.
 */
export class StoreLock {
  readonly #path: string;
  #held = false;

  private constructor(path: string) {
    this.#path = path;
  }

  /** Takes the lock at `path`, or throws a {@link StoreLockError} naming the owner. */
  static acquire(path: string, storeName: string): StoreLock {
    const lock = new StoreLock(path);
    if (lock.#tryCreate()) return lock;
    const owner = readOwner(path);
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
      throw new StoreLockError(
        `State store "${storeName}" is locked by process ${owner} (lock file ${path}). ` +
          'Another kstreams instance uses the same state directory: give each instance its own stateDir, or stop the other one.',
        { retriable: true },
      );
    }
    // Stale: the owner is gone (or is this process after a crash left the file behind).
    rmSync(path, { force: true });
    if (lock.#tryCreate()) return lock;
    throw new StoreLockError(`State store "${storeName}" could not be locked: ${path} was taken concurrently. Retry.`, {
      retriable: true,
    });
  }

  /** Removes the lock file. Idempotent. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (readOwner(this.#path) === process.pid) rmSync(this.#path, { force: true });
  }

  #tryCreate(): boolean {
    let descriptor: number;
    try {
      descriptor = openSync(this.#path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(descriptor, `${process.pid}\n`);
    } finally {
      closeSync(descriptor);
    }
    this.#held = true;
    return true;
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
