import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreLocation } from '@kstreams/core';

/** A fresh task directory under the OS temp dir, and a way to remove it after a test. */
export function temporaryTaskDirectory(): { directory: string; remove: () => void } {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-lmdb-'));
  const directory = join(stateDir, 'app', '0_1');
  return { directory, remove: () => rmSync(stateDir, { recursive: true, force: true }) };
}

/** The location of store `name` in `directory` for application `app`, task `0_1`. */
export function locationOf(name: string, directory: string): StoreLocation {
  return { name, directory, applicationId: 'app', taskId: '0_1' };
}

/** Bytes from a hex string, for readable keys in tests. */
export function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}
