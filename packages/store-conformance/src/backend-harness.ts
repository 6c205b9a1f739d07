import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreBackend, StoreLocation } from '@kstreams/core';

/** What the conformance kit needs from a backend under test, fresh for every test. */
export interface BackendHarness {
  readonly backend: StoreBackend;
  /** Where a store named `name` lives; the same name must give the same place (for reopen tests). */
  location(name: string): StoreLocation;
  /** Removes everything the test created (temp directories); stores are already closed. */
  cleanup(): Promise<void>;
}

/** Builds a fresh {@link BackendHarness} for one test. */
export type BackendHarnessFactory = () => BackendHarness | Promise<BackendHarness>;

/** Options of {@link createBackendHarness}. */
export interface BackendHarnessOptions {
  /** Application id of the locations; default `conformance-app`. */
  applicationId?: string;
  /** Task id of the locations; default `0_0`. */
  taskId?: string;
}

/**
 * The usual harness: locations inside a new temporary state directory
 * (`<tmp>/<applicationId>/<taskId>`, created up front as the state directory manager would),
 * removed again by `cleanup()`. Non-persistent backends get `directory: undefined`.
 *
 * @example
 * describeBackendConformance('lmdb', () => createBackendHarness(lmdbBackend()));
 */
export async function createBackendHarness(backend: StoreBackend, options: BackendHarnessOptions = {}): Promise<BackendHarness> {
  const applicationId = options.applicationId ?? 'conformance-app';
  const taskId = options.taskId ?? '0_0';
  const stateDirectory = backend.persistent ? await mkdtemp(join(tmpdir(), 'kstreams-conformance-')) : undefined;
  const taskDirectory = stateDirectory === undefined ? undefined : join(stateDirectory, applicationId, taskId);
  if (taskDirectory !== undefined) await mkdir(taskDirectory, { recursive: true });
  return {
    backend,
    location: (name) => ({ name, directory: taskDirectory, applicationId, taskId }),
    cleanup: async () => {
      if (stateDirectory !== undefined) await rm(stateDirectory, { recursive: true, force: true });
    },
  };
}
