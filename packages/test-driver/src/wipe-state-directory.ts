import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Deletes `<stateDir>/<applicationId>` (every task's stores), then `stateDir` itself when that
 * left it empty, as Java's TopologyTestDriver cleans its state directory on close. Files of other
 * applications in a shared `stateDir` are kept.
 */
export function wipeStateDirectory(stateDir: string, applicationId: string): void {
  rmSync(join(stateDir, applicationId), { recursive: true, force: true });
  try {
    if (readdirSync(stateDir).length === 0) rmdirSync(stateDir);
  } catch {
    // Already gone, or not ours to remove: either way nothing of this driver is left.
  }
}
