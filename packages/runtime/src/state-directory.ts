import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OffsetCheckpointFile, type CheckpointEntry } from '@kstreams/changelog';
import { StreamsError } from '@kstreams/core';
import type { Logger } from './internal/engine-ports.js';
import {
  isProcessRunning,
  readLockOwner,
  removeLockFile,
  removeStaleLockFile,
  tryCreateLockFile,
  type ProcessLockOwner,
} from './internal/process-lock-file.js';
import { unusableDirectoryError } from './internal/unusable-directory-error.js';
import { persistProcessId, readPersistedProcessId } from './process-metadata-file.js';

/** What a {@link StateDirectory} needs. */
export interface StateDirectoryOptions {
  readonly stateDir: string;
  readonly applicationId: string;
  /** A fresh process id (a UUID) for this instance, used when the directory has none persisted yet. */
  readonly processId: string;
  readonly logger: Logger;
}

/** The process lock file inside `<stateDir>/<applicationId>`. */
export const PROCESS_LOCK_FILE_NAME = '.lock';

/** The task-lock owner {@link StateDirectory.cleanRemovedTasks} uses while it deletes a directory. */
const CLEANER = 'state-directory-cleaner';

/** A task directory name: `<subtopology>_<partition>`. */
const TASK_ID = /^\d+_\d+$/;

/** Application directories locked by an instance of this process (a file lock cannot tell them apart). */
const lockedInThisProcess = new Map<string, string>();

/**
 * The state directory of one KafkaStreams instance, as Kafka Streams' `StateDirectory`:
 * `<stateDir>/<applicationId>` holds one directory per task. A process lock (a lock file with
 * the pid and the instance's process id) keeps a second instance, in this or another process,
 * out of it; task-directory locks let the instance's stream threads hand tasks over (a lock not
 * yet released is retried by the caller on its next loop).
 *
 * @example
 * ```ts
 * const directory = new StateDirectory({ stateDir: '/var/lib/app', applicationId: 'counts', processId, logger });
 * await directory.lock(); // throws a StreamsError when another instance uses it
 * if (directory.tryLockTask('0_1', 'thread-1')) { ... open the task's stores in directory.taskDirectory('0_1') ... }
 * directory.unlockTask('0_1', 'thread-1');
 * await directory.unlock();
 * ```
 */
export class StateDirectory {
  /** `<stateDir>/<applicationId>`. */
  readonly applicationDirectory: string;
  readonly #lockPath: string;
  #owner: ProcessLockOwner;
  readonly #logger: Logger;
  readonly #taskOwners = new Map<string, string>();
  #locked = false;

  constructor(options: StateDirectoryOptions) {
    this.applicationDirectory = resolve(options.stateDir, options.applicationId);
    this.#lockPath = join(this.applicationDirectory, PROCESS_LOCK_FILE_NAME);
    this.#owner = { pid: process.pid, processId: options.processId };
    this.#logger = options.logger;
  }

  /**
   * The instance's process id: after {@link lock}, the one persisted in the directory's
   * `kafka-streams-process-metadata` file (as Kafka Streams), so a restarted instance keeps it.
   */
  get processId(): string {
    return this.#owner.processId;
  }

  /**
   * Creates `<stateDir>/<applicationId>`, checks that it is a writable directory and takes the
   * process lock. Rejects with a {@link StreamsError} naming the directory when it cannot be
   * used or another live instance holds it; a lock left by a dead process is taken over. Then
   * the process id is the persisted one, or the fresh one is persisted.
   */
  async lock(): Promise<void> {
    if (this.#locked) return;
    await this.#createDirectory();
    const persisted = await readPersistedProcessId(this.applicationDirectory, this.#logger);
    if (persisted !== undefined) this.#owner = { ...this.#owner, processId: persisted };
    if (!(await this.#createLockFile())) {
      const staleOwner = await this.#refuseIfHeld();
      if (!(await removeStaleLockFile(this.#lockPath, staleOwner)) || !(await this.#createLockFile())) {
        throw new StreamsError(`State directory ${this.applicationDirectory} was locked concurrently by another instance. Retry the start.`, { retriable: true });
      }
    }
    this.#locked = true;
    lockedInThisProcess.set(this.applicationDirectory, this.#owner.processId);
    if (persisted === undefined) await persistProcessId(this.applicationDirectory, this.#owner.processId);
    this.#logger.info(`Locked state directory ${this.applicationDirectory} (process id ${this.#owner.processId})`);
  }

  /** Releases the process lock (idempotent). */
  async unlock(): Promise<void> {
    if (!this.#locked) return;
    this.#locked = false;
    if (lockedInThisProcess.get(this.applicationDirectory) === this.#owner.processId) lockedInThisProcess.delete(this.applicationDirectory);
    await removeLockFile(this.#lockPath, this.#owner);
    this.#logger.info(`Unlocked state directory ${this.applicationDirectory}`);
  }

  /** `<stateDir>/<applicationId>/<taskId>`. */
  taskDirectory(taskId: string): string {
    return join(this.applicationDirectory, taskId);
  }

  /**
   * Locks the task directory for `owner` (a stream thread of this instance). False while another
   * owner holds it; the caller retries on its next loop. Re-entrant for the same owner.
   */
  tryLockTask(taskId: string, owner: string): boolean {
    const current = this.#taskOwners.get(taskId);
    if (current !== undefined && current !== owner) return false;
    this.#taskOwners.set(taskId, owner);
    return true;
  }

  /** Releases `owner`'s lock on the task directory; a lock held by another owner stays. */
  unlockTask(taskId: string, owner: string): void {
    if (this.#taskOwners.get(taskId) === owner) this.#taskOwners.delete(taskId);
  }

  /** The owner of a task lock, if any. */
  taskLockOwner(taskId: string): string | undefined {
    return this.#taskOwners.get(taskId);
  }

  /** Deletes the task directory with its stores and checkpoint (the stores must be closed). */
  async wipeTask(taskId: string): Promise<void> {
    await rm(this.taskDirectory(taskId), { recursive: true, force: true });
    this.#logger.info(`Wiped the state of task ${taskId} in ${this.taskDirectory(taskId)}`);
  }

  /**
   * Task ids that have a directory on disk, each with the entries of its `.checkpoint` (empty
   * when it has none or it cannot be read): the assignor's task offset sums come from them.
   */
  async tasksOnDisk(): Promise<Map<string, readonly CheckpointEntry[]>> {
    const entries = await readdir(this.applicationDirectory, { withFileTypes: true }).catch(() => []);
    const tasks = new Map<string, readonly CheckpointEntry[]>();
    for (const entry of entries) {
      if (!entry.isDirectory() || !TASK_ID.test(entry.name)) continue;
      const checkpoint = OffsetCheckpointFile.inTaskDirectory(this.taskDirectory(entry.name));
      tasks.set(entry.name, (await checkpoint.read().catch(() => undefined)) ?? []);
    }
    return tasks;
  }

  /**
   * Deletes the task directories no owner has locked that were not modified for `olderThanMs`:
   * state of tasks that moved to other instances (Kafka Streams' `cleanRemovedTasks` with
   * `state.cleanup.delay.ms`, default 10 minutes). An active task's directory changes at every
   * checkpoint, so it is never old. Returns the ids of the deleted tasks.
   */
  async cleanRemovedTasks(olderThanMs: number, now: number = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    for (const taskId of (await this.tasksOnDisk()).keys()) {
      if (!this.tryLockTask(taskId, CLEANER)) continue;
      try {
        const modified = (await stat(this.taskDirectory(taskId)).catch(() => undefined))?.mtimeMs;
        if (modified === undefined || now - modified < olderThanMs) continue;
        await rm(this.taskDirectory(taskId), { recursive: true, force: true });
        removed.push(taskId);
      } finally {
        this.unlockTask(taskId, CLEANER);
      }
    }
    if (removed.length > 0) this.#logger.info(`Deleted the state of tasks no longer assigned here: ${removed.join(', ')}`);
    return removed;
  }

  async #createDirectory(): Promise<void> {
    try {
      await mkdir(this.applicationDirectory, { recursive: true });
    } catch (error) {
      throw await unusableDirectoryError(this.applicationDirectory, error);
    }
  }

  async #createLockFile(): Promise<boolean> {
    try {
      return await tryCreateLockFile(this.#lockPath, this.#owner);
    } catch (error) {
      throw await unusableDirectoryError(this.applicationDirectory, error);
    }
  }

  /** Throws when a live instance holds the lock; returns the stale owner otherwise. */
  async #refuseIfHeld(): Promise<ProcessLockOwner | undefined> {
    const holder = await readLockOwner(this.#lockPath);
    const sameProcess = holder?.pid === process.pid;
    const held = sameProcess ? lockedInThisProcess.has(this.applicationDirectory) : holder !== undefined && isProcessRunning(holder.pid);
    if (held && holder !== undefined) {
      const who = sameProcess ? `another KafkaStreams instance in this process (processId ${holder.processId})` : `process ${holder.pid} (processId ${holder.processId})`;
      throw new StreamsError(
        `State directory ${this.applicationDirectory} is locked by ${who}; lock file ${this.#lockPath}. ` +
          'Two KafkaStreams instances cannot share a stateDir: give each instance its own stateDir, or stop the other one.',
      );
    }
    this.#logger.warn(`Taking over the state directory lock ${this.#lockPath} left by ${holder === undefined ? 'an unreadable owner' : `process ${holder.pid}, which is gone`}`);
    return holder;
  }
}
