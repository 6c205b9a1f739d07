import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './internal/engine-ports.js';

/** Options of {@link StateDirectory}. */
export interface StateDirectoryOptions {
  readonly stateDir: string;
  readonly applicationId: string;
  readonly processId: string;
  readonly logger: Logger;
}

/**
 * PLACEHOLDER until the full StateDirectory lands: task-directory locks shared by the threads of
 * one instance, so a task moving between threads waits for the other to close it.
 */
export class StateDirectory {
  readonly #options: StateDirectoryOptions;
  readonly #taskLocks = new Map<string, string>();

  constructor(options: StateDirectoryOptions) {
    this.#options = options;
  }

  async lock(): Promise<void> {
    await mkdir(join(this.#options.stateDir, this.#options.applicationId), { recursive: true });
  }

  async unlock(): Promise<void> {}

  taskDirectory(taskId: string): string {
    return join(this.#options.stateDir, this.#options.applicationId, taskId);
  }

  tryLockTask(taskId: string, owner: string): boolean {
    const holder = this.#taskLocks.get(taskId);
    if (holder !== undefined && holder !== owner) return false;
    this.#taskLocks.set(taskId, owner);
    return true;
  }

  unlockTask(taskId: string, owner: string): void {
    if (this.#taskLocks.get(taskId) === owner) this.#taskLocks.delete(taskId);
  }

  taskLockOwner(taskId: string): string | undefined {
    return this.#taskLocks.get(taskId);
  }

  async wipeTask(taskId: string): Promise<void> {
    await rm(this.taskDirectory(taskId), { recursive: true, force: true });
  }

  async tasksOnDisk(): Promise<Map<string, readonly { topic: string; partition: number; offset: number }[]>> {
    return new Map();
  }
}
