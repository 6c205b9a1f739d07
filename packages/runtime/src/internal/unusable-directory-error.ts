import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StreamsError } from '@kstreams/core';

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/**
 * Explains why the state directory `path` cannot be created or written, from the file-system
 * error `error`: names the path (or the file in the way) and says what to change.
 */
export async function unusableDirectoryError(path: string, error: unknown): Promise<StreamsError> {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const blocker = await firstNonDirectory(path);
    return new StreamsError(
      `State directory ${path} cannot be created: ${blocker ?? 'a path component'} is a file, not a directory (${code}). ` +
        'Set stateDir to a directory kstreams may create and write, or move that file away.',
      { cause: error },
    );
  }
  const reason = REASONS[code];
  if (reason !== undefined) {
    return new StreamsError(
      `State directory ${path} is not writable (${code}: ${reason}). ` +
        'Give the user running kstreams write access to it, or set stateDir to a writable directory.',
      { cause: error },
    );
  }
  return new StreamsError(`State directory ${path} cannot be used: ${(error as Error).message}. Set stateDir to a writable directory.`, {
    cause: error,
  });
}

/** The deepest existing entry on the way to `path` that is not a directory (the file in the way). */
async function firstNonDirectory(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    const stats = await stat(current).catch(() => undefined);
    if (stats !== undefined && !stats.isDirectory()) return current;
    if (dirname(current) === current) return undefined;
  }
}
