import { randomUUID } from 'node:crypto';
import { link, open, readFile, rename, rm } from 'node:fs/promises';

/** Who holds a state directory: the owning process and the KafkaStreams instance in it. */
export interface ProcessLockOwner {
  readonly pid: number;
  readonly processId: string;
}

/**
 * Creates the lock file at `path` holding `owner`, atomically and whole (written to a private
 * file, then hard-linked into place): false when the lock file already exists. Other failures
 * (EACCES, EROFS…) are thrown for the caller to explain.
 */
export async function tryCreateLockFile(path: string, owner: ProcessLockOwner): Promise<boolean> {
  const privatePath = `${path}.${randomUUID()}`;
  const handle = await open(privatePath, 'wx');
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(privatePath, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(privatePath, { force: true });
  }
}

/** The JSON object in the file at `path`; undefined when it is missing, unreadable or not JSON. */
export async function readJsonFile(path: string): Promise<{ [key: string]: unknown } | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as { [key: string]: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The owner recorded in the lock file at `path`; undefined when missing or unreadable. */
export async function readLockOwner(path: string): Promise<ProcessLockOwner | undefined> {
  const parsed = await readJsonFile(path);
  const pid = parsed?.['pid'];
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { pid, processId: typeof parsed?.['processId'] === 'string' ? parsed['processId'] : '' };
}

/** Removes the lock file when it still names `owner` (never another owner's lock). */
export async function removeLockFile(path: string, owner: ProcessLockOwner): Promise<void> {
  const current = await readLockOwner(path);
  if (current?.pid === owner.pid && current.processId === owner.processId) await rm(path, { force: true });
}

/**
 * Removes the lock file of `staleOwner` (judged gone). It is first moved aside atomically, so of
 * two processes taking over the same stale lock only one removes it; when what was moved is not
 * the stale owner's lock (another process took over first), it is put back and false returned.
 */
export async function removeStaleLockFile(path: string, staleOwner: ProcessLockOwner | undefined): Promise<boolean> {
  const asidePath = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, asidePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const moved = await readLockOwner(asidePath);
  const isStale = moved?.pid === staleOwner?.pid && moved?.processId === staleOwner?.processId;
  if (!isStale) await link(asidePath, path).catch(() => undefined);
  await rm(asidePath, { force: true });
  return isStale;
}

/** Whether process `pid` runs (EPERM: it exists but belongs to another user). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
